import { expect, signIn, test } from "./support/fixtures";

// An orphan: a workload labelled with an instance id the registry lacks (the demo plants one).

test("[ORPHANS] the overview's orphan opens its page: objects, events and how it was found", async ({ page }) => {
  await signIn(page, "operator");
  const panel = page.getByRole("region", { name: "Orphan workloads" });
  const link = panel.getByRole("link", { name: /orphan workload$/ }).first();
  await expect(link).toBeVisible();
  const name = (await link.locator("span.font-mono").innerText()).trim();
  await link.click();
  await expect(page).toHaveURL(/\/orphans\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  const foundBy = page.getByRole("region", { name: "How it was found" });
  await expect(foundBy).toContainText(`${name} carries the label`);
  await expect(foundBy).toContainText("no record");
  await expect(page.getByRole("region", { name: "Pods" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Recent events" })).toBeVisible();
  await expect(page).toHaveTitle(new RegExp(`^${name} · Orphan · Fleetdeck$`));
});

test("[ORPHANS] the Orphan workload filter counts and lists them; search and Ctrl+K find them", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/tenants");
  await page.getByRole("button", { name: "Problem", expanded: false }).click();
  const option = page.getByRole("checkbox", { name: /Orphan workload/ });
  // The label carries the count: "Orphan workload 1", never 0 while the demo plants one.
  await expect(option).toHaveAccessibleName(/^Orphan workload [1-9]/);
  await option.check();
  await expect(page).toHaveURL(/problem=orphan-workload/);
  const matches = page.getByTestId("orphan-matches");
  await expect(matches.getByRole("link")).not.toHaveCount(0);
  const name = (await matches.getByRole("link").first().innerText()).trim();
  await expect(page.getByText("No tenants match this search.")).toHaveCount(0);

  await page.keyboard.press("Escape");
  await page.goto("/audit");
  await expect(page.locator("html")).toHaveAttribute("data-shortcuts", "on");
  await page.keyboard.press("Control+k");
  await expect(page.getByTestId("command-palette-input")).toBeFocused();
  await page.keyboard.type(name);
  const found = page.getByTestId("command-palette-orphan");
  await expect(found).toHaveCount(1);
  await found.click();
  await expect(page).toHaveURL(/\/orphans\//);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
});

test("[ORPHANS] a tenant's id or a made-up one is no orphan", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/orphans/00000000-0000-4000-8000-00000000dead");
  await expect(page.getByTestId("orphan-not-found")).toContainText("No workload carries instance id");
});

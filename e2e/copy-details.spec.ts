import { expect, signIn, test } from "./support/fixtures";

// Truncated emails and ids on the users, audit and runs pages: a tooltip with the full value and a Copy button.

test("[COPY] users and audit show the full email or id as a tooltip and copy it", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/users");
  const row = page.getByTestId("user-row-operator@fleetdeck.local");
  await expect(row.getByTestId("copyable-text")).toHaveAttribute("title", "operator@fleetdeck.local");
  const copy = row.getByRole("button", { name: "Copy email operator@fleetdeck.local" });
  await copy.click();
  await expect(copy).toHaveAttribute("data-state", "copied");
  await expect(copy).toHaveText("Copied");

  await page.goto("/audit");
  const first = page.getByTestId("audit-row").first();
  const values = first.getByTestId("copyable-text");
  await expect(values).toHaveCount(2);
  const targetId = (await values.nth(1).getAttribute("title"))!;
  expect(targetId.length).toBeGreaterThan(0);
  await expect(values.nth(1)).toHaveText(targetId);
  await first.getByRole("button", { name: `Copy object id ${targetId}` }).click();
  await expect(first.getByRole("button", { name: `Copy object id ${targetId}` })).toHaveAttribute("data-state", "copied");
});

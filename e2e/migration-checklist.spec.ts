import { expect, signIn, test } from "./support/fixtures";
import type { Page } from "@playwright/test";

/** Controls answer only once React has hydrated them: a change made before is lost. */
async function hydrated(page: Page) {
  await page.waitForFunction(() => document.querySelector("next-route-announcer") !== null);
}

/** The "Done" tile reads "<done> of <total>". */
async function doneCount(page: Page): Promise<{ done: number; total: number }> {
  const text = await page.getByTestId("migration-tile-done").innerText();
  const match = /(\d+) of (\d+)/.exec(text);
  if (!match) throw new Error(`unexpected Done tile: ${text}`);
  return { done: Number(match[1]), total: Number(match[2]) };
}

test("[MIGRATION] a PM updates a task with evidence and sees the burn-up move", async ({ page }) => {
  await signIn(page, "pm");
  await page.getByTestId("nav-migration").click();
  await expect(page.getByRole("heading", { level: 1, name: "Migration" })).toBeVisible();
  await hydrated(page);
  await expect(page.getByRole("link", { name: "Waves" })).toHaveAttribute("href", "/migration/waves");
  await expect(page.getByTestId("migration-burn-up")).toBeVisible();
  const before = await doneCount(page);
  expect(before.total).toBeGreaterThanOrEqual(40);

  // A filter goes into the URL; the list shows only tasks still to do.
  await page.getByLabel("Status", { exact: true }).selectOption("todo");
  await expect(page).toHaveURL(/status=todo/);
  const row = page
    .locator('[data-testid^="migration-task-"]')
    .filter({ has: page.getByTestId("migration-task-status") })
    .first();
  const title = await row.getByRole("link").innerText();
  await row.getByRole("link").click();
  await expect(page).toHaveURL(/task=/);
  const drawer = page.getByRole("dialog", { name: title });
  await expect(drawer).toBeVisible();

  // A link that is not http(s) is refused with a readable message, then a real one is added.
  await drawer.getByLabel("Link (URL)").fill("javascript:alert(1)");
  await drawer.getByRole("button", { name: "Add evidence" }).click();
  await expect(drawer.getByRole("alert")).toContainText("starts with http:// or https://");
  await drawer.getByLabel("Link (URL)").fill("https://ci.example.com/runs/e2e-42");
  await drawer.getByLabel("Title (optional)").fill("CI run 42");
  await drawer.getByRole("button", { name: "Add evidence" }).click();
  await expect(drawer.getByRole("status").filter({ hasText: "Evidence added." })).toBeVisible();
  await expect(drawer.getByTestId("migration-evidence-list").getByRole("link", { name: "CI run 42" })).toHaveAttribute(
    "href",
    "https://ci.example.com/runs/e2e-42",
  );

  // Blocked needs a reason.
  await drawer.getByLabel("Status").selectOption("blocked");
  await drawer.getByRole("button", { name: "Save task" }).click();
  await expect(drawer.getByRole("alert").filter({ hasText: "Say why the task is blocked." }).first()).toBeVisible();

  await drawer.getByLabel("Owner").selectOption({ label: "Demo Pm (pm@fleetdeck.local)" });
  await drawer.getByLabel("Status").selectOption("done");
  await drawer.getByRole("button", { name: "Save task" }).click();
  await expect(drawer.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  const history = drawer.getByTestId("migration-task-history");
  await expect(history).toContainText("changed status from To do to Done");
  await expect(history).toContainText("changed owner from nothing to pm@fleetdeck.local");
  await expect(history).toContainText("added evidence link: CI run 42");

  await drawer.getByRole("link", { name: "Close" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByTestId("migration-tile-done")).toContainText(`${before.done + 1} of ${before.total}`);
  await expect(page.getByRole("img", { name: /Migration burn-up/ })).toHaveAttribute(
    "aria-label",
    new RegExp(`${before.done + 1} of ${before.total} tasks done`),
  );
  // Done now, so the "to do" filter no longer lists it.
  await expect(page.locator('[data-testid^="migration-task-"]').getByRole("link", { name: title, exact: true })).toHaveCount(0);
});

test("[MIGRATION] a viewer sees the checklist and cannot edit it", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/migration?week=7");
  await expect(page.getByRole("heading", { level: 1, name: "Migration" })).toBeVisible();
  await hydrated(page);
  await expect(page.getByTestId("migration-burn-up")).toBeVisible();
  await expect(page.getByTestId("migration-tile-forecast")).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Testing progress" })).toBeVisible();
  await expect(page.getByTestId("migration-week-7")).toBeVisible();
  await expect(page.getByTestId("migration-week-6")).toHaveCount(0);

  await page.getByTestId("migration-task-w7-test-lifecycle-runbook").getByRole("link").click();
  const drawer = page.getByRole("dialog");
  await expect(drawer).toBeVisible();
  await expect(drawer).toContainText("Automatic check:");
  await expect(drawer.getByTestId("migration-task-fields")).toBeVisible();
  await expect(drawer.getByRole("button", { name: "Save task" })).toHaveCount(0);
  await expect(drawer.getByRole("button", { name: "Add evidence" })).toHaveCount(0);
  await expect(drawer.getByRole("combobox")).toHaveCount(0);

  // Usable at phone width: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(drawer.getByRole("link", { name: "Close" })).toBeInViewport();
  await drawer.getByRole("link", { name: "Close" }).click();
  // The page's own content fits; the shared header is the app shell's.
  await expect.poll(() => page.locator("main").evaluate((main) => main.scrollWidth - main.clientWidth)).toBeLessThanOrEqual(0);

  // The export works for a viewer, and refuses a request started from another site.
  const csv = await page.request.get("/api/migration/checklist/export?format=csv&week=7");
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toMatch(/^week,workstream,title,/);
  const markdown = await page.request.get("/api/migration/checklist/export?format=md");
  expect(await markdown.text()).toContain("## Week 10");
  const crossSite = await page.request.get("/api/migration/checklist/export?format=csv", { headers: { "sec-fetch-site": "cross-site" } });
  expect(crossSite.status()).toBe(403);
});

test("[MIGRATION] a PM attests a manual check with evidence, sees it hold, and revokes it", async ({ page }) => {
  await signIn(page, "pm");
  await page.goto("/migration");
  await hydrated(page);
  const row = page.getByTestId("migration-task-w5-db-downtime");
  await row.getByRole("link").click();
  const drawer = page.getByRole("dialog", { name: "Migration approach and downtime estimate agreed" });
  await expect(drawer).toBeVisible();
  const checks = drawer.getByTestId("task-attestations");
  const form = checks.getByRole("form", { name: "Attest this task" });
  await expect(form.getByRole("button", { name: "Attest" })).toBeDisabled();
  await form.getByLabel("What you checked").fill("Downtime estimate reviewed with ops: 3 h per batch of 30 (ticket MIG-12).");
  await form.getByRole("button", { name: "Attest" }).click();
  const attestation = checks.getByTestId("task-attestation").first();
  await expect(attestation).toHaveAttribute("data-active", "true");
  await expect(attestation).toContainText("Holds");
  await expect(attestation).toContainText("pm@fleetdeck.local");
  // The task's own default (30 days) sets the expiry.
  await expect(attestation).toContainText("until");
  await drawer.getByRole("link", { name: "Close" }).click();
  await expect(row.getByText("Attested", { exact: true })).toBeVisible();

  await row.getByRole("link").click();
  await drawer.getByTestId("task-attestation").first().getByRole("button", { name: "Revoke" }).click();
  await expect(drawer.getByTestId("task-attestation").first()).toHaveAttribute("data-active", "false");
  await expect(drawer.getByTestId("task-attestation").first()).toContainText("Revoked");
  const history = drawer.getByTestId("migration-task-history");
  await expect(history).toContainText("revoked the attestation");
  await expect(history).toContainText("attested the task until");
});

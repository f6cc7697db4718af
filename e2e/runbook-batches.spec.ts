import type { Page } from "@playwright/test";

import { expect, signIn, test } from "./support/fixtures";

// Runs over a selection from the tenants list, on the shared demo stack (40 tenants; a selection
// of more than 25 needs a second person). The large selection is rejected, so it runs nothing and
// holds no tenant's lock while the other specs act; the small one verifies (changes nothing) one
// healthy tenant from the middle of the list, where the other specs do not pick theirs.

const trpcInput = (input: unknown) => encodeURIComponent(JSON.stringify({ json: input }));

async function middleHealthyTenant(page: Page): Promise<{ id: string; databaseName: string; name: string }> {
  const response = await page.request.get(`/api/trpc/tenants.list?input=${trpcInput({ health: ["healthy"], sort: "name", pageSize: 200 })}`);
  expect(response.ok()).toBe(true);
  const items = ((await response.json()) as { result: { data: { json: { items: { id: string; databaseName: string; name: string }[] } } } }).result.data.json
    .items;
  expect(items.length).toBeGreaterThan(4);
  return items[Math.floor(items.length / 2)];
}

test("[BATCH] an operator verifies the tenants a search matches and watches the selection complete", async ({ page }) => {
  await signIn(page, "operator");
  const tenant = await middleHealthyTenant(page);
  await page.goto(`/tenants?q=${tenant.databaseName}`);
  await expect(page.getByTestId("tenants-table").locator("tbody tr")).toHaveCount(1);
  await page.getByTestId("run-over-selection").click();

  const dialog = page.getByTestId("batch-dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByTestId("batch-runbook").selectOption("verify-instance");
  await expect(dialog.getByTestId("batch-preview-summary")).toContainText("Verify the instance: 1 of 1 tenant would run it");
  await expect(dialog.getByTestId("batch-needs-approval")).toHaveCount(0);
  // A bad setting is named before anything is sent.
  await dialog.getByTestId("batch-concurrency").fill("0");
  await expect(dialog.getByText("Run at least 1 at a time.")).toBeVisible();
  await expect(dialog.getByTestId("batch-create")).toBeDisabled();
  await dialog.getByTestId("batch-concurrency").fill("2");
  await dialog.getByTestId("batch-create").click();

  await expect(page).toHaveURL(/\/runs\/batches\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  const batch = page.getByTestId("batch-view");
  await expect(batch.getByTestId("batch-state")).toHaveAttribute("data-state", "completed", { timeout: 60_000 });
  await expect(batch.getByTestId("batch-progress")).toContainText("1 of 1 done");
  const item = batch.getByTestId("batch-item");
  await expect(item).toHaveCount(1);
  await expect(item).toHaveAttribute("data-state", "succeeded");
  await expect(item.getByRole("link", { name: tenant.name, exact: true })).toHaveAttribute("href", `/tenants/${tenant.id}`);
  // The tenant's own run, with its lock, audit and outcome, is one click away.
  await item.getByRole("link", { name: `Run of ${tenant.name}` }).click();
  await expect(page.getByTestId("run-state")).toHaveAttribute("data-state", "succeeded");

  // The Runs page lists the selection.
  await page.goto("/runs");
  await expect(page.getByTestId("recent-batches")).toContainText("Verify the instance · 1 tenant");
});

test("[BATCH] a selection of the whole fleet waits for a second person; the requester cannot approve it; an admin rejects it and nothing runs", async ({
  page,
  browser,
}) => {
  await signIn(page, "operator");
  await page.goto("/tenants");
  await page.getByTestId("run-over-selection").click();
  const dialog = page.getByTestId("batch-dialog");
  await dialog.getByTestId("batch-runbook").selectOption("restart-instance");
  await expect(dialog.getByTestId("batch-needs-approval")).toContainText("is more than 25");
  await expect(dialog.getByTestId("batch-create")).toHaveText("Ask for approval");
  await dialog.getByTestId("batch-create").click();

  await expect(page).toHaveURL(/\/runs\/batches\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  const batch = page.getByTestId("batch-view");
  await expect(batch.getByTestId("batch-state")).toHaveAttribute("data-state", "awaiting-approval");
  await expect(batch.getByTestId("batch-awaiting-approval")).toContainText("An approver (an admin) must accept it");
  await expect(batch.getByTestId("batch-approve")).toHaveCount(0);

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, "admin");
  await admin.goto(page.url());
  await expect(admin.getByTestId("batch-approve")).toBeVisible();
  await admin.getByTestId("batch-reject").click();
  await admin.getByRole("textbox", { name: "Why reject it" }).fill("Not during business hours");
  await admin.getByTestId("batch-reject-confirm").click();
  await expect(admin.getByTestId("batch-state")).toHaveAttribute("data-state", "rejected");
  await adminContext.close();

  // The requester's page follows: rejected with the reason, every tenant "Not run", no run made.
  await expect(batch.getByTestId("batch-state")).toHaveAttribute("data-state", "rejected", { timeout: 10_000 });
  await expect(batch.getByTestId("batch-decision")).toContainText("Rejected by admin@fleetdeck.local");
  await expect(batch.getByTestId("batch-decision")).toContainText("Not during business hours");
  await expect(batch.getByTestId("batch-filter-cancelled")).toBeVisible();
  await expect(batch.locator('[data-testid="batch-item"]:not([data-state="cancelled"])')).toHaveCount(0);
  await expect(batch.getByRole("link", { name: /^Run of / })).toHaveCount(0);
});

test("[BATCH] a viewer is not offered a run over the selection", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/tenants");
  await expect(page.getByTestId("tenants-table")).toBeVisible();
  await expect(page.getByTestId("run-over-selection")).toHaveCount(0);
});

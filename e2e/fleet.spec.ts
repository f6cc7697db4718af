import { expect, signIn, test } from "./support/fixtures";

test("[FLEET] the overview shows the demo fleet's problems", async ({ page }) => {
  await signIn(page, "operator");
  await expect(page.getByTestId("fleet-health-chart")).toBeVisible();
  const attention = page.getByTestId("attention-table");
  await expect(attention).toBeVisible();
  // One line per kind of trouble the demo scenario plants, in plain words.
  for (const problem of [/crash/i, /out of memory|OOM/i, /image/i, /schedul/i, /storage class|pending/i, /full/i, /backup/i]) {
    await expect(attention.getByText(problem).first()).toBeVisible();
  }
  await expect(page.getByTestId("orphan-workloads")).toContainText(/odoo-/);
  await expect(page.getByTestId("storage-pressure")).toBeVisible();
  await expect(page.getByTestId("cache-freshness")).toHaveAttribute("data-state", "live");
});

test("[FLEET] a health tile opens the tenants list filtered to that health", async ({ page }) => {
  await signIn(page, "viewer");
  await page.getByTestId("health-tile-stopped").click();
  await expect(page).toHaveURL(/\/tenants\?.*health=stopped/);
  await expect(page.getByTestId("tenants-table").locator("tbody tr")).not.toHaveCount(0);
});

import { expect, signIn, test } from "./support/fixtures";

test("[TENANT] a crash-looping pod recovers live when the cluster heals it", async ({ page, cluster }) => {
  test.skip(!cluster, "needs the simulator's control API to heal the tenant");
  await signIn(page, "operator");
  await page.goto("/tenants?problem=crash-loop");
  const row = page.getByTestId("tenants-table").locator("tbody tr").first();
  await expect(row).toBeVisible();
  const databaseName = (await row.getAttribute("data-testid"))!.replace("tenant-row-", "");
  await row.getByRole("link").first().click();

  const pods = page.getByTestId("pods-table");
  await expect(pods).toContainText("CrashLoopBackOff");
  await cluster!.tenantAction(databaseName, "heal");
  // No reload: the subscription brings the change.
  await expect(pods).toContainText("Running", { timeout: 20_000 });
  await expect(pods).not.toContainText("CrashLoopBackOff", { timeout: 20_000 });
  await expect(page.getByTestId("tenant-health")).toContainText(/healthy/i, { timeout: 20_000 });
});

test("[TENANT] an unknown tenant id shows a not-found message", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/tenants/00000000-0000-0000-0000-000000000000");
  await expect(page.getByText(/not found|no tenant/i).first()).toBeVisible();
  await expect(page.getByRole("link", { name: /tenants/i }).first()).toBeVisible();
});

test("[TENANT] the Logs button shows only where a pod exists", async ({ page }) => {
  await signIn(page, "operator");
  for (const [databaseName, hasPods] of [
    ["maplestreet-bakery", false], // the demo's stopped instance: 0 replicas, no pods
    ["harborline-analytics", true],
  ] as const) {
    await page.goto(`/tenants?q=${databaseName}`);
    await page.getByTestId(`tenant-row-${databaseName}`).getByRole("link").first().click();
    await expect(page.getByTestId("tenant-health")).toBeVisible();
    await expect(page.getByTestId("tenant-logs-link")).toHaveCount(hasPods ? 1 : 0);
  }
});

test("[TENANT] a pod's kubectl commands and the tenant's ids copy with one click", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page, "viewer");
  await page.goto("/tenants?q=harborline-analytics");
  await page.getByTestId("tenant-row-harborline-analytics").getByRole("link").first().click();
  const pod = page.getByTestId("pods-table").locator('[data-testid^="pod-row-"]').first();
  const podName = (await pod.getAttribute("data-testid"))!.replace("pod-row-", "");
  const copyLogs = page.getByTestId(`copy-kubectl-logs-${podName}`);
  await copyLogs.click();
  await expect(copyLogs).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`kubectl -n tenant-harborline-analytics logs ${podName}`);
  await expect(copyLogs).toHaveText("kubectl logs");
  await page.getByTestId(`copy-kubectl-describe-${podName}`).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`kubectl -n tenant-harborline-analytics describe pod ${podName}`);
  await page.getByTestId("copy-database").click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe("harborline-analytics");
});

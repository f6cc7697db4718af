import { gunzipSync } from "node:zlib";

import type { Page } from "@playwright/test";
import tar from "tar-stream";

import { expect, signIn, test } from "./support/fixtures";

// Runbooks end to end on the shared demo stack: the Actions menus, the dry-run preview, the live
// run view, approvals in a second browser context, refusals, and the diagnostics download. Each
// test acts on tenants of its own (fixed scenario tenants, or healthy ones picked from the end of
// the list) so the other specs' tenants keep their state.

const trpcInput = (input: unknown) => encodeURIComponent(JSON.stringify({ json: input }));

interface TenantRow {
  id: string;
  databaseName: string;
  instanceType: string;
}

async function tenantByDatabaseName(page: Page, databaseName: string): Promise<TenantRow> {
  const response = await page.request.get(`/api/trpc/tenants.list?input=${trpcInput({ q: databaseName, pageSize: 5 })}`);
  expect(response.ok()).toBe(true);
  const items = ((await response.json()) as { result: { data: { json: { items: TenantRow[] } } } }).result.data.json.items;
  const tenant = items.find((item) => item.databaseName === databaseName);
  expect(tenant, `tenant ${databaseName}`).toBeDefined();
  return tenant!;
}

/** The `nth` healthy tenant counted from the end of the list (other specs take theirs from the top). */
async function healthyTenant(page: Page, nth: number, instanceType?: string): Promise<TenantRow> {
  const response = await page.request.get(
    `/api/trpc/tenants.list?input=${trpcInput({ health: ["healthy"], pageSize: 200, ...(instanceType ? { instanceType: [instanceType] } : {}) })}`,
  );
  const items = ((await response.json()) as { result: { data: { json: { items: TenantRow[] } } } }).result.data.json.items;
  const tenant = items[items.length - 1 - nth];
  expect(tenant, `healthy tenant #${nth} from the end`).toBeDefined();
  return tenant!;
}

/** Opens a runbook from a menu, previews it and confirms; resolves on the run page. */
async function previewAndConfirm(page: Page, fill?: () => Promise<void>) {
  const dialog = page.getByTestId("runbook-dialog");
  await expect(dialog).toBeVisible();
  await fill?.();
  await dialog.getByTestId("preview-run").click();
  await expect(dialog.getByTestId("runbook-preview")).toBeVisible({ timeout: 20_000 });
  await expect(dialog.getByTestId("runbook-preview").locator('[data-testid^="precondition-"][data-ok="false"]')).toHaveCount(0);
  await expect(dialog.getByTestId("confirm-run")).toBeEnabled();
  await dialog.getByTestId("confirm-run").click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  return page.getByTestId("run-view");
}

test("[RUNBOOKS] an operator restarts a healthy tenant and watches it verify live", async ({ page }) => {
  await signIn(page, "operator");
  const tenant = await healthyTenant(page, 0);
  await page.goto(`/tenants/${tenant.id}`);
  await page.getByTestId("actions-menu").click();
  await page.getByTestId("action-restart-instance").click();
  const dialog = page.getByTestId("runbook-dialog");
  await dialog.getByTestId("preview-run").click();
  const preview = dialog.getByTestId("runbook-preview");
  await expect(preview).toBeVisible({ timeout: 20_000 });
  await expect(preview.locator('[data-testid^="precondition-"][data-ok="false"]')).toHaveCount(0);
  await expect(preview.getByTestId("object-change-diff")).toContainText("kubectl.kubernetes.io/restartedAt");
  await dialog.getByTestId("confirm-run").click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  const run = page.getByTestId("run-view");
  await expect(run.getByTestId("run-state")).toHaveAttribute("data-state", "succeeded", { timeout: 90_000 });
  await expect(run.getByTestId("run-step-0")).toHaveAttribute("data-state", "succeeded");
  await expect(run.getByTestId("run-message")).toContainText("Restarted");
});

test("[RUNBOOKS] a restart of a crash-looping tenant ends failed verification with the reason", async ({ page, cluster }) => {
  test.skip(!cluster, "needs the simulator's control API to break a tenant");
  await signIn(page, "operator");
  const tenant = await healthyTenant(page, 1);
  await cluster!.tenantAction(tenant.databaseName, "crash");
  await page.goto(`/tenants/${tenant.id}`);
  await expect(page.getByTestId("pods-table")).toContainText(/CrashLoopBackOff|Error/, { timeout: 30_000 });
  await page.getByTestId("actions-menu").click();
  await page.getByTestId("action-restart-instance").click();
  const run = await previewAndConfirm(page);
  await expect(run.getByTestId("run-state")).toHaveAttribute("data-state", "failed", { timeout: 90_000 });
  await expect(run.getByTestId("run-message")).toContainText(/does not come up\. Pod .+ is (CrashLoopBackOff|Error)/);
  await cluster!.tenantAction(tenant.databaseName, "heal");
});

test("[RUNBOOKS] an operator expands the 95 % volume and backs up now, each verified live", async ({ page }) => {
  await signIn(page, "operator");
  const tenant = await tenantByDatabaseName(page, "bluefin-media");
  await page.goto(`/tenants/${tenant.id}`);
  await page.getByTestId("volume-actions-odoo-filestore").click();
  await page.locator('[data-testid="action-expand-volume"]:visible').click();
  const expanded = await previewAndConfirm(page, async () => {
    await page.getByTestId("runbook-input-size").fill("150Gi");
  });
  await expect(expanded.getByTestId("run-state")).toHaveAttribute("data-state", "succeeded", { timeout: 90_000 });
  await expect(expanded.getByTestId("run-message")).toContainText("now has 150Gi");

  await page.goto(`/tenants/${tenant.id}`);
  await page.getByTestId("actions-menu").click();
  await page.getByTestId("action-back-up-now").click();
  const backup = await previewAndConfirm(page);
  await expect(backup.getByTestId("run-state")).toHaveAttribute("data-state", "succeeded", { timeout: 120_000 });
  await expect(backup).toContainText("Last 40 lines of");
});

test("[RUNBOOKS] a disruption budget refuses an eviction in the preview; an admin's force delete of a stuck pod needs a second admin", async ({
  page,
  browser,
}) => {
  await signIn(page, "operator");
  const guarded = await tenantByDatabaseName(page, "copperleaf-accounting");
  await page.goto(`/tenants/${guarded.id}`);
  await page.locator('[data-testid^="pod-actions-"]').first().click();
  await page.locator('[data-testid="action-remove-stuck-pod"]:visible').click();
  const dialog = page.getByTestId("runbook-dialog");
  await dialog.getByTestId("preview-run").click();
  await expect(dialog.getByTestId("runbook-refusal")).toContainText("disruption budget odoo-pdb", { timeout: 20_000 });
  await expect(dialog.getByTestId("confirm-run")).toBeDisabled();

  // The stuck Terminating pod: only a force delete removes it; an admin asks, another approves.
  await page.context().clearCookies();
  await signIn(page, "admin");
  const stuck = await tenantByDatabaseName(page, "granite-hardware");
  await page.goto(`/tenants/${stuck.id}`);
  const terminating = page.getByTestId("pods-table").locator("tr", { hasText: "Terminating" });
  await expect(terminating).toHaveCount(1, { timeout: 20_000 });
  await terminating.locator('[data-testid^="pod-actions-"]').click();
  await page.locator('[data-testid="action-remove-stuck-pod"]:visible').click();
  const run = await previewAndConfirm(page, async () => {
    await page.getByTestId("runbook-input-force").check();
    await page.getByTestId("runbook-input-reason").fill("stuck terminating for 20 minutes");
  });
  await expect(run.getByTestId("run-state")).toHaveAttribute("data-state", "awaiting-approval");
  await expect(run.getByTestId("approve-run")).toHaveCount(0);

  const approverContext = await browser.newContext();
  const approver = await approverContext.newPage();
  await signIn(approver, "approver");
  await approver.goto(page.url());
  await approver.getByTestId("approve-run").click();
  await expect(approver.getByTestId("run-state")).toHaveAttribute("data-state", /running|verifying|succeeded/);
  await expect(run.getByTestId("run-state")).toHaveAttribute("data-state", "succeeded", { timeout: 90_000 });
  await approverContext.close();
});

test("[RUNBOOKS] a high-risk stop waits for a second person; the requester cannot approve it; Undo starts the tenant again", async ({
  page,
  browser,
  baseURL,
}) => {
  await signIn(page, "admin");
  const tenant = await healthyTenant(page, 2, "production");
  await page.goto(`/tenants/${tenant.id}`);
  await page.getByTestId("actions-menu").click();
  await page.getByTestId("action-stop-instance").click();
  await expect(page.getByTestId("runbook-dialog")).toBeVisible();
  const run = await previewAndConfirm(page);
  await expect(run.getByTestId("run-state")).toHaveAttribute("data-state", "awaiting-approval");
  await expect(run.getByTestId("approve-run")).toHaveCount(0);
  const runId = (await run.getAttribute("data-run-id"))!;
  // The server refuses the requester's own approval whatever the page shows.
  const selfApproval = await page.request.post("/api/trpc/runbooks.approve", { data: { json: { runId } }, headers: { origin: baseURL! } });
  expect(selfApproval.status()).toBe(403);
  expect(await selfApproval.text()).toContain("You requested this run, so you cannot approve or reject it.");

  const approverContext = await browser.newContext();
  const approver = await approverContext.newPage();
  await signIn(approver, "approver");
  await approver.goto(`/runs/${runId}`);
  await approver.getByTestId("run-decision-comment").fill("agreed with the customer");
  await approver.getByTestId("approve-run").click();
  await expect(run.getByTestId("run-state")).toHaveAttribute("data-state", "succeeded", { timeout: 90_000 });
  await approverContext.close();

  await run.getByTestId("undo-run").click();
  const undone = await previewAndConfirm(page);
  await expect(undone.getByTestId("run-state")).toHaveAttribute("data-state", "succeeded", { timeout: 90_000 });
});

test("[RUNBOOKS] a viewer sees the runs but no Actions, and a direct call is refused", async ({ page, baseURL }) => {
  await signIn(page, "viewer");
  const tenant = await healthyTenant(page, 3);
  await page.goto(`/tenants/${tenant.id}`);
  await expect(page.getByTestId("tenant-runs")).toBeVisible();
  await expect(page.getByTestId("actions-menu")).toHaveCount(0);
  await expect(page.locator('[data-testid^="pod-actions-"]')).toHaveCount(0);
  const preview = await page.request.post("/api/trpc/runbooks.preview", {
    data: { json: { tenantId: tenant.id, runbookId: "restart-instance", input: {} } },
    headers: { origin: baseURL! },
  });
  expect(preview.status()).toBe(403);
  const download = await page.request.get(`/api/tenants/${tenant.id}/diagnostics`);
  expect(download.status()).toBe(403);
  await page.goto("/runs");
  await expect(page.getByTestId("runs-table")).toBeVisible();
});

test("[RUNBOOKS] the diagnostics download is a valid archive with the expected files", async ({ page }) => {
  await signIn(page, "operator");
  const tenant = await healthyTenant(page, 4);
  await page.goto(`/tenants/${tenant.id}`);
  await page.getByTestId("actions-menu").click();
  const downloading = page.waitForEvent("download");
  await page.getByTestId("action-collect-diagnostics").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(new RegExp(`^diagnostics-${tenant.databaseName}-\\d{8}-\\d{6}\\.tar\\.gz$`));
  const chunks: Buffer[] = [];
  for await (const chunk of (await download.createReadStream())!) chunks.push(chunk as Buffer);
  const names: string[] = [];
  const extract = tar.extract();
  await new Promise<void>((resolve, reject) => {
    extract.on("entry", (header, stream, next) => {
      names.push(header.name);
      stream.on("end", next);
      stream.resume();
    });
    extract.on("finish", resolve);
    extract.on("error", reject);
    extract.end(gunzipSync(Buffer.concat(chunks)));
  });
  expect(names).toEqual(expect.arrayContaining(["README.md", "tenant.json", "describe.txt", "events.txt", "volumes.txt"]));
  expect(names.some((name) => name.startsWith("objects/deployments/"))).toBe(true);
  expect(names.some((name) => /^logs\/[^/]+\/odoo\.log$/.test(name))).toBe(true);
  expect(names.some((name) => /secret/i.test(name))).toBe(false);
});

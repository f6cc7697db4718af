import type { Page } from "@playwright/test";

import { expect, signIn, test } from "./support/fixtures";
import { readStack } from "./support/stack-file";

// Demo tenants on Swarm the other migration specs use by name (DEMO_SWARM_TENANTS in
// sim/fleet/scenarios.ts); this spec takes DEMO_WAVE_TENANTS and the unnamed ones.
const USED_ELSEWHERE = new Set(["alder-books", "nimbus-freight", "tidewater-wines"]);
const WAVE_SIZE = 5;

interface RegistryRow {
  id: string;
  database_name: string;
  platform?: string;
}

/** The demo fleet's tenants still on Swarm, from the simulator's registry export. */
async function swarmTenants(): Promise<RegistryRow[]> {
  const stack = readStack()!;
  const response = await fetch(`${stack.simUrl}/_sim/registry`, { headers: { authorization: `Bearer ${stack.simToken}` } });
  const rows = (await response.json()) as RegistryRow[];
  return rows.filter((row) => row.platform === "swarm" && !USED_ELSEWHERE.has(row.database_name));
}

function column(page: Page, state: string) {
  return page.getByTestId("wave-column").and(page.locator(`[data-state="${state}"]`));
}

/** Records an attested step for the wave and waits until every tenant shows it. */
async function recordStep(page: Page, label: string, state: string, count: number) {
  const form = page.getByRole("form", { name: "Record a step" });
  await form.getByRole("combobox", { name: "Step to record" }).selectOption({ label });
  await form.getByRole("textbox", { name: "Evidence" }).fill(`e2e: ${label}`);
  await form.getByRole("button", { name: "Record step" }).click();
  await expect(column(page, state).getByTestId("wave-tenant")).toHaveCount(count);
}

async function confirmStep(page: Page, name: string) {
  await page.getByRole("group", { name: "Wave steps" }).getByRole("button", { name }).click();
  await page.getByTestId("wave-confirm").getByRole("button", { name: "Confirm" }).click();
}

test("[MIGRATION] a PM creates a wave, an operator runs it and watches the board live, a viewer sees it read-only", async ({ page, browser, cluster }) => {
  test.skip(!cluster, "needs the demo fleet's tenants on Swarm (the simulator's registry export)");
  test.setTimeout(240_000);
  const tenants = (await swarmTenants()).slice(0, WAVE_SIZE);
  expect(tenants, "the demo fleet has tenants on Swarm for a wave").toHaveLength(WAVE_SIZE);

  // The PM chooses the tenants by hand.
  await signIn(page, "pm");
  await page.goto("/migration/waves");
  await expect(page.getByRole("heading", { level: 1, name: "Migration waves" })).toBeVisible();
  await page.getByRole("button", { name: "New wave" }).click();
  const form = page.getByRole("form", { name: "New wave" });
  const name = `E2E wave ${Date.now().toString(36)}`;
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Tenant ids").fill(tenants.map((t) => t.id).join("\n"));
  await form.getByLabel("Exit gate (hours)").fill("0");
  await expect(form.getByTestId("wave-selection-preview")).toContainText(`${tenants.length} tenants can join`);
  await form.getByRole("button", { name: "Create wave" }).click();
  await expect(page).toHaveURL(/\/migration\/waves\/[0-9a-f-]{36}$/);
  const boardUrl = page.url();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(name) })).toBeVisible();
  await expect(column(page, "scheduled").getByTestId("wave-tenant")).toHaveCount(tenants.length);

  // The steps outside the cluster, attested for the whole wave.
  await recordStep(page, "Backed up", "backed-up", tenants.length);
  await recordStep(page, "Stopped on Swarm", "stopped-on-swarm", tenants.length);
  await recordStep(page, "Data restored", "data-restored", tenants.length);
  // A PM does not run runbooks: no step buttons.
  await expect(page.getByRole("group", { name: "Wave steps" })).toHaveCount(0);

  // The operator starts and verifies them; the board moves without a reload.
  const operatorContext = await browser.newContext();
  const operator = await operatorContext.newPage();
  await signIn(operator, "operator");
  await operator.goto(boardUrl);
  await operator.evaluate(() => ((window as unknown as { boardMarker?: number }).boardMarker = 1));
  await confirmStep(operator, "Start on Kubernetes");
  await expect(column(operator, "started-on-kubernetes").getByTestId("wave-tenant")).toHaveCount(tenants.length, { timeout: 120_000 });
  await expect(operator.getByTestId("wave-board")).toHaveAttribute("data-state", "waiting", { timeout: 30_000 });
  await confirmStep(operator, "Verify");
  await expect(column(operator, "verified").getByTestId("wave-tenant")).toHaveCount(tenants.length, { timeout: 120_000 });
  // Every tenant verified and healthy, exit gate 0 h: the wave completes.
  await expect(operator.getByTestId("wave-board")).toHaveAttribute("data-state", "completed", { timeout: 60_000 });
  await expect(operator.getByTestId("wave-exit-gate")).toContainText("Every tenant verified and healthy.");
  expect(await operator.evaluate(() => (window as unknown as { boardMarker?: number }).boardMarker)).toBe(1);
  const firstCard = column(operator, "verified").getByTestId("wave-tenant").first();
  await expect(firstCard.getByRole("link", { name: /Verify run of/ })).toHaveAttribute("href", /^\/runs\/[0-9a-f-]{36}$/);
  await operatorContext.close();

  // A viewer sees the wave and cannot change it.
  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await signIn(viewer, "viewer");
  await viewer.goto("/migration/waves");
  await expect(viewer.getByRole("button", { name: "New wave" })).toHaveCount(0);
  await viewer.getByRole("link", { name }).click();
  await expect(viewer.getByTestId("wave-board")).toHaveAttribute("data-state", "completed");
  await expect(viewer.getByRole("group", { name: "Wave steps" })).toHaveCount(0);
  await expect(viewer.getByRole("form", { name: "Record a step" })).toHaveCount(0);
  await viewerContext.close();
});

test("[MIGRATION] a wave that can take no tenant says why and is not created", async ({ page }) => {
  await signIn(page, "pm");
  await page.goto("/migration/waves");
  await page.getByRole("button", { name: "New wave" }).click();
  const form = page.getByRole("form", { name: "New wave" });
  await form.getByLabel("Name").fill("Nobody");
  await form.getByLabel("Customer").fill("no-such-customer-anywhere");
  await expect(form.getByTestId("wave-selection-preview")).toContainText("0 tenants can join");
  await expect(form.getByRole("button", { name: "Create wave" })).toBeDisabled();
  await form.getByLabel("Customer").fill("");
  await form.getByLabel("Batch size").fill("80");
  await form.getByRole("button", { name: "Create wave" }).click();
  await expect(form.getByText("A batch holds at most 50 tenants.")).toBeVisible();
});

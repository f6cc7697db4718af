import type { Locator } from "@playwright/test";

import { expect, signIn, test, type ClusterControl } from "./support/fixtures";

const GATE = "volumes-bound-below-90";
/** Fills the tenant's filestore to this share so it is Bound and well below 90 %. */
const HEALTHY_PERCENT = 40;

test("[MIGRATION] a gate turns green live when the simulator heals a tenant", async ({ page, cluster }) => {
  test.skip(!cluster, "needs the simulator's control API to heal the tenants");
  // The volume usage poll runs every 30 s: a fill level shows within one poll.
  test.setTimeout(180_000);
  await signIn(page, "viewer");
  await page.goto("/migration/gates");
  await expect(page.getByRole("heading", { level: 1, name: "Migration gates" })).toBeVisible();
  const gate = page.getByTestId(`gate-${GATE}`);
  // The demo fleet plants a Pending claim (lumen-architects) and full volumes (atlas-archives...).
  await expect(gate).toHaveAttribute("data-state", "fail", { timeout: 60_000 });
  await expect(gate.getByRole("img", { name: /Fail \(\d+ tenants?\)/ })).toBeVisible();
  const failing = gate.getByTestId("gate-failing");
  await expect(failing).toContainText("lumen-architects");
  const lumen = failing.getByRole("link", { name: /lumen-architects/ });
  await expect(lumen).toHaveAttribute("href", /^\/tenants\/[0-9a-f-]{36}$/);

  // A marker on the window: it survives only if the page never reloads.
  await page.evaluate(() => ((window as unknown as { gatesMarker?: number }).gatesMarker = 1));
  const restore = await healEveryFailingTenant(cluster!, failing);
  try {
    await expect(gate).toHaveAttribute("data-state", "pass", { timeout: 120_000 });
    await expect(gate.getByRole("img", { name: /: Pass\./ })).toBeVisible();
    await expect(gate.getByTestId("gate-failing")).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { gatesMarker?: number }).gatesMarker)).toBe(1);
  } finally {
    // Other specs expect the demo's full volumes; the healed Pending claim stays healed.
    for (const [tenant, percent] of restore) await cluster!.tenantAction(tenant, "fill-volume", { percent });
  }
});

/** Heals every tenant the gate lists (a Pending claim) and empties its full volumes; returns the fill levels to put back. */
async function healEveryFailingTenant(cluster: ClusterControl, failing: Locator): Promise<Map<string, number>> {
  const restore = new Map<string, number>();
  for (const row of await failing.getByRole("listitem").all()) {
    const name = (await row.getByRole("link").textContent())?.trim();
    if (!name) continue;
    const reason = (await row.textContent()) ?? "";
    const full = /odoo-filestore (\d+(?:\.\d+)?)% used/.exec(reason);
    if (full) {
      restore.set(name, Number(full[1]));
      await cluster.tenantAction(name, "fill-volume", { percent: HEALTHY_PERCENT });
    }
    // Healing kicks the pods; a tenant whose only trouble is a full volume is left running.
    if (/ is (Pending|Lost)/.test(reason)) await cluster.tenantAction(name, "heal");
  }
  return restore;
}

test("[TENANT] the timeline lists the tenant's events and registry changes, filtered by kind", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/tenants?q=harborline-analytics");
  await page.getByTestId("tenant-row-harborline-analytics").getByRole("link").first().click();
  const timeline = page.getByRole("region", { name: "Timeline" });
  await expect(timeline).toBeVisible();
  const entries = timeline.getByTestId("timeline-entry");
  await expect(entries.first()).toBeVisible();
  await expect(timeline.locator('[data-testid="timeline-entry"][data-kind="kubernetes"]').first()).toBeVisible();
  await expect(timeline.locator('[data-testid="timeline-entry"][data-kind="registry"]').first()).toBeVisible();

  const filter = timeline.getByRole("group", { name: "Show in the timeline" });
  await filter.getByRole("button", { name: /^Registry changes/ }).click();
  await expect(filter.getByRole("button", { name: /^Registry changes/ })).toHaveAttribute("aria-pressed", "true");
  await expect(timeline.locator('[data-testid="timeline-entry"][data-kind="kubernetes"]')).toHaveCount(0);
  // The import that wrote the record is newer than the instance's creation date it carries.
  const registry = timeline.locator('[data-testid="timeline-entry"][data-kind="registry"]');
  await expect(registry.first()).toContainText("Registry record last changed");
  await expect(registry.last()).toContainText("Instance created");

  await filter.getByRole("button", { name: "All", exact: true }).click();
  await expect(timeline.locator('[data-testid="timeline-entry"][data-kind="kubernetes"]').first()).toBeVisible();
  // Newest first.
  const times = await timeline.locator("[data-testid=timeline-entry] time").evaluateAll((nodes) => nodes.map((node) => node.getAttribute("datetime") ?? ""));
  expect(times.length).toBeGreaterThan(1);
  expect([...times].sort().reverse()).toEqual(times);
});

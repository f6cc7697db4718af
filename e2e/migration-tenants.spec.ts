import { randomUUID } from "node:crypto";

import type { Page } from "@playwright/test";

import { expect, signIn, test } from "./support/fixtures";

// Demo tenants still on Swarm (DEMO_SWARM_TENANTS in sim/fleet/scenarios.ts): the registry export
// says platform swarm, their Deployments wait at 0 replicas. This spec moves ALDER_BOOKS along its
// migration; other specs should take the other Swarm tenants for theirs.
const ALDER_BOOKS = "alder-books";
const NIMBUS_FREIGHT = "nimbus-freight";

async function openTenant(page: Page, databaseName: string): Promise<string> {
  await page.goto(`/tenants?q=${databaseName}`);
  const row = page.getByTestId(`tenant-row-${databaseName}`);
  await expect(row).toContainText("On Swarm");
  await row.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/tenants\/[0-9a-f-]{36}$/);
  return page.url().split("/").pop()!;
}

test("[MIGRATION] an on-Swarm tenant is not a problem, and a PM records its backup step", async ({ page }) => {
  await signIn(page, "pm");

  // The overview counts Swarm tenants on their own and lists none of them as needing attention.
  await page.goto("/");
  const tile = page.getByTestId("health-tile-on-swarm");
  await expect(tile).toHaveAttribute("aria-label", /^([3-9]|\d{2,}) on swarm tenants/);
  const attention = page.getByTestId("attention-table");
  await expect(attention).toBeVisible();
  await expect(attention).not.toContainText(ALDER_BOOKS);
  await expect(attention).not.toContainText(NIMBUS_FREIGHT);

  // The health filter knows the state.
  await tile.click();
  await expect(page).toHaveURL(/\/tenants\?.*health=on-swarm/);
  await expect(page.getByTestId(`tenant-row-${NIMBUS_FREIGHT}`)).toBeVisible();

  await openTenant(page, ALDER_BOOKS);
  await expect(page.getByTestId("tenant-health")).toHaveAttribute("data-health", "on-swarm");
  await expect(page.getByTestId("tenant-problems")).toHaveCount(0);

  const panel = page.getByRole("region", { name: "Migration", exact: true });
  await expect(panel.getByTestId("tenant-migration-state")).toHaveAttribute("data-state", "on-swarm");
  // The registry import recorded where it started.
  await expect(panel.getByTestId("migration-event").filter({ hasText: "registry import" })).toHaveCount(1);

  // Scheduled, then the backup the PM attests with its evidence.
  const form = panel.getByTestId("record-step-form");
  await form.getByTestId("record-step-to").selectOption("scheduled");
  await form.getByTestId("record-step-submit").click();
  await expect(panel.getByTestId("tenant-migration-state")).toHaveAttribute("data-state", "scheduled");
  // A toast says so and goes by itself; no banner stays in the form.
  await expect(page.getByTestId("record-step-success")).toContainText("Recorded: now “Scheduled”.");
  await expect(page.getByTestId("record-step-success")).toHaveCount(0, { timeout: 15_000 });

  await form.getByTestId("record-step-to").selectOption("backed-up");
  await form.getByTestId("record-step-evidence").fill("pg_dump s3://backups/alder-books-e2e.dump");
  await form.getByTestId("record-step-submit").click();
  await expect(panel.getByTestId("tenant-migration-state")).toHaveAttribute("data-state", "backed-up");
  const backup = panel.getByTestId("migration-event").first();
  await expect(backup).toHaveAttribute("data-to", "backed-up");
  await expect(backup).toContainText("pm@fleetdeck.local");
  await expect(backup).toContainText("attested");
  await expect(backup).toContainText("alder-books-e2e.dump");

  // Still served by Swarm, still not a problem.
  await expect(page.getByTestId("tenant-health")).toHaveAttribute("data-health", "on-swarm");
  // A step the cluster does is not offered to a person.
  await expect(form.getByTestId("record-step-to").locator("option")).toHaveText(["Stopped on Swarm", "Rolled back"]);
});

test("[MIGRATION] an admin creates a service token, the scripts' API accepts it, and once revoked refuses it", async ({ page }) => {
  const name = `e2e-migrate-${randomUUID().slice(0, 8)}`;
  await signIn(page, "admin");
  await page.getByTestId("nav-tokens").click();
  await expect(page.getByRole("heading", { level: 1, name: "Service tokens" })).toBeVisible();

  const form = page.getByTestId("create-token-form");
  await form.getByTestId("create-token-name").fill(name);
  await form.getByTestId("create-token-expiry").fill("7");
  await form.getByTestId("create-token-submit").click();
  const secret = (await page.getByTestId("token-secret").textContent())!.trim();
  expect(secret).toMatch(/^fdt_/);
  const row = page.getByTestId("token-row").filter({ hasText: name });
  await expect(row).toHaveAttribute("data-status", "active");
  await expect(row).toContainText(secret.slice(0, 12));
  // The secret is shown once: the list has only its prefix.
  await expect(page.getByTestId("tokens-table")).not.toContainText(secret);

  // Authenticated: a tenant the registry does not know is a 404, not a 401 (and nothing moves).
  const unknownTenant = "00000000-0000-4000-8000-000000000000";
  const call = () =>
    page.request.post(`/api/migration/v1/tenants/${unknownTenant}/steps`, {
      headers: { authorization: `Bearer ${secret}` },
      data: { to: "backed-up", evidence: "e2e" },
    });
  const accepted = await call();
  expect(accepted.status()).toBe(404);
  expect((await accepted.json()).error).toMatch(/No tenant with id/);

  await row.getByTestId("revoke-token").click();
  await expect(row).toHaveAttribute("data-status", "revoked");
  await expect(page.getByTestId("tokens-notice")).toContainText(`Revoked “${name}”`);

  const refused = await call();
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toEqual({ error: expect.stringMatching(new RegExp(`“${name}”.*was revoked`)) });

  // Both calls and the refusal are in the audit log.
  await page.goto(`/audit?action=migration.api.step&outcome=denied`);
  await expect(page.getByTestId("audit-row").filter({ hasText: `service-token:${name}` })).toHaveCount(1);
});

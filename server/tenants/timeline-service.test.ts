import { describe, expect, it } from "vitest";

import { clusterBasics, NOW, tenantFixture, warmStore } from "@/scripts/test-support/cluster-fixtures";
import { useTestDatabase } from "@/scripts/test-support/test-database";
import { TenantDirectory } from "./tenant-view";
import { getTenantTimeline } from "./timeline-service";

const db = useTestDatabase();

describe("getTenantTimeline", () => {
  it("joins the cache's events, the tenant's runs (not previews), its migration steps and the import that added it", async () => {
    const fixture = tenantFixture("acme");
    const other = tenantFixture("other");
    const store = warmStore([...clusterBasics(), ...fixture.objects]);
    const directory = new TenantDirectory({ clusters: [store], loadRegistry: async () => [fixture.record], now: () => NOW });
    await directory.ready();
    const { record } = fixture;
    const createdAt = new Date("2026-11-01T09:00:00Z");
    await db.tenant.create({
      data: {
        id: record.id,
        name: record.name,
        databaseName: record.databaseName,
        customerId: record.customerId,
        customerEmail: record.customerEmail,
        instanceType: "production",
        odooVersion: "17.0",
        billingStatus: "active",
        createdAt,
      },
    });
    await db.auditEvent.create({
      // The import that wrote the row just now (the row's updatedAt).
      data: { actorEmail: "admin@fleetdeck.local", action: "registry.import", targetKind: "registry", targetId: "default" },
    });
    const run = (tenantId: string, state: string, title: string) =>
      db.runbookRun.create({
        data: {
          tenantId,
          tenantName: "x",
          cluster: "default",
          namespace: "tenant-acme",
          runbookId: "restart-instance",
          title,
          risk: "low",
          input: {},
          state,
          plan: [],
          planHash: "h",
          plannedAt: new Date("2026-11-23T10:00:00Z"),
          requestedByEmail: "operator@fleetdeck.local",
          requestedAt: new Date("2026-11-23T10:00:00Z"),
          endedAt: state === "succeeded" ? new Date("2026-11-23T10:02:00Z") : null,
        },
      });
    await run(record.id, "succeeded", "Restart instance");
    await run(record.id, "planned", "A preview nobody confirmed");
    await run(other.record.id, "succeeded", "Another tenant's run");
    await db.tenantMigrationEvent.create({
      data: {
        tenantId: record.id,
        at: new Date("2026-11-20T08:00:00Z"),
        fromState: "on-swarm",
        toState: "scheduled",
        actorEmail: "pm@fleetdeck.local",
        via: "person",
      },
    });

    const timeline = await getTenantTimeline(directory, db, { id: record.id });
    expect(timeline.counts).toMatchObject({ runbook: 1, migration: 1, registry: 2 });
    expect(timeline.counts.kubernetes).toBeGreaterThan(0);
    const titles = timeline.entries.map((entry) => entry.title);
    expect(titles).toContain("Restart instance: succeeded");
    expect(titles).not.toContain("A preview nobody confirmed: planned");
    expect(titles.some((title) => title.startsWith("Another tenant"))).toBe(false);
    // Created long before the import (the instance service's date): no import near it to name.
    expect(timeline.entries.at(-1)).toMatchObject({ kind: "registry", title: "Instance created (registry)", at: createdAt.toISOString(), actor: undefined });
    expect(timeline.entries[0]).toMatchObject({
      kind: "registry",
      title: "Registry record last changed",
      actor: "admin@fleetdeck.local",
      detail: "Changed by a registry import",
    });
    const times = timeline.entries.map((entry) => entry.at);
    expect([...times].sort().reverse()).toEqual(times);

    const onlyRuns = await getTenantTimeline(directory, db, { id: record.id, kinds: ["runbook"] });
    expect(onlyRuns.entries.map((entry) => entry.kind)).toEqual(["runbook"]);
  });

  it("refuses an unknown tenant with a clear not-found", async () => {
    const store = warmStore(clusterBasics());
    const directory = new TenantDirectory({ clusters: [store], loadRegistry: async () => [], now: () => NOW });
    await expect(getTenantTimeline(directory, db, { id: "00000000-0000-4000-8000-00000000abcd" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

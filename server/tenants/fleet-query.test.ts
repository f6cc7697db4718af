import { describe, expect, it } from "vitest";
import { queryTenants, selectTenants, summarizeFleet } from "./fleet-query";
import type { HealthState, Problem, TenantSummary } from "@/lib/tenants/types";

function tenant(n: number, overrides: Partial<TenantSummary> = {}): TenantSummary {
  const db = `shop${String(n).padStart(4, "0")}`;
  const id = `${String(n).padStart(8, "0")}-aaaa-4bbb-8ccc-${String(n).padStart(12, "0")}`;
  return {
    id,
    name: `odoo-${db}-${id.slice(0, 8)}`,
    databaseName: db,
    customerId: `c${n % 7}000000-0000-4000-8000-000000000000`,
    customerEmail: `owner${n}@example.com`,
    instanceType: (["development", "staging", "production"] as const)[n % 3],
    odooVersion: n % 2 ? "17.0" : "16.0",
    billingStatus: n % 10 === 0 ? "suspended" : "active",
    cluster: "default",
    health: "healthy",
    healthReason: "Running, 1 replica ready",
    problems: [],
    readyReplicas: 1,
    desiredReplicas: 1,
    restarts: n % 5,
    storageUsedPercent: n % 100,
    migrationState: "native",
    createdAt: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
    updatedAt: "2026-11-23T10:00:00.000Z",
    ...overrides,
  };
}

const crash: Problem = {
  kind: "crash-loop",
  severity: "critical",
  title: "Odoo keeps crashing (CrashLoopBackOff, 5 restarts)",
  detail: "",
  since: "2026-11-23T09:00:00Z",
};
const backup: Problem = { kind: "backup-failed", severity: "warning", title: "Backup job failed", detail: "", since: "2026-11-22T02:05:00Z" };

const fleet: TenantSummary[] = [
  ...Array.from({ length: 60 }, (_, i) => tenant(i + 1)),
  tenant(61, { health: "down", problems: [crash], databaseName: "acme", name: "odoo-acme-3f2a9c1b", customerEmail: "ops@acme.test" }),
  tenant(62, { health: "degraded", problems: [backup] }),
  tenant(63, { health: "stopped", desiredReplicas: 0, readyReplicas: 0 }),
];

describe("queryTenants", () => {
  it("searches name, database name, customer email and id prefix, case-insensitively", () => {
    expect(queryTenants(fleet, { q: "ACME" }).items.map((t) => t.databaseName)).toEqual(["acme"]);
    expect(queryTenants(fleet, { q: "ops@acme" }).total).toBe(1);
    expect(queryTenants(fleet, { q: "00000061" }).items[0].databaseName).toBe("acme");
    expect(queryTenants(fleet, { q: "shop0012" }).items.map((t) => t.databaseName)).toEqual(["shop0012"]);
    expect(queryTenants(fleet, { q: "c3000000" }).total).toBe(fleet.filter((t) => t.customerId.startsWith("c3")).length);
    expect(queryTenants(fleet, { q: "no-such-tenant" }).total).toBe(0);
  });

  it("filters combine: AND across fields, OR within one", () => {
    const result = queryTenants(fleet, { health: ["down", "degraded"] });
    expect(result.total).toBe(2);
    expect(queryTenants(fleet, { health: ["down", "degraded"], problem: ["backup-failed"] }).items.map((t) => t.health)).toEqual(["degraded"]);
    const production17 = queryTenants(fleet, { instanceType: ["production"], odooVersion: ["17.0"], pageSize: 500 });
    expect(production17.items.every((t) => t.instanceType === "production" && t.odooVersion === "17.0")).toBe(true);
    expect(queryTenants(fleet, { billingStatus: ["suspended"] }).total).toBe(6);
  });

  it("sorts by health (most urgent first), then name; other keys both ways", () => {
    const byHealth = queryTenants(fleet, { sort: "health" }).items.map((t) => t.health);
    expect(byHealth.slice(0, 3)).toEqual<HealthState[]>(["down", "degraded", "stopped"]);
    const restarts = queryTenants(fleet, { sort: "restarts", dir: "desc" }).items.map((t) => t.restarts);
    expect(restarts[0]).toBe(4);
    const names = queryTenants(fleet, { sort: "name", dir: "asc", pageSize: 500 }).items.map((t) => t.name);
    expect(names).toEqual([...names].sort());
    const storage = queryTenants(fleet, { sort: "storage", dir: "desc" }).items[0];
    expect(storage.storageUsedPercent).toBe(63);
  });

  it("paginates and clamps out-of-range pages", () => {
    const page2 = queryTenants(fleet, { sort: "name", page: 2, pageSize: 25 });
    expect(page2).toMatchObject({ total: 63, page: 2, pageSize: 25 });
    expect(page2.items).toHaveLength(25);
    expect(queryTenants(fleet, { page: 99, pageSize: 25 })).toMatchObject({ page: 3 });
    expect(queryTenants(fleet, { page: 99, pageSize: 25 }).items).toHaveLength(13);
  });

  it("facets count each value with the other filters applied", () => {
    // Tenant 61 is the one down tenant, and a staging one (61 % 3 = 1).
    const result = queryTenants(fleet, { health: ["down"], instanceType: ["staging"] });
    expect(result.total).toBe(1);
    expect(result.facets.health).toEqual({ healthy: 20, down: 1 });
    expect(result.facets.instanceType).toEqual({ staging: 1 });
    expect(result.facets.problem).toEqual({ "crash-loop": 1 });
    expect(result.facets.billingStatus).toEqual({ active: 1 });
  });

  it("stays fast at 10,000 tenants", () => {
    const big = Array.from({ length: 10_000 }, (_, i) => tenant(i, i % 97 === 0 ? { health: "down", problems: [crash] } : {}));
    queryTenants(big, { q: "shop" });
    const started = performance.now();
    for (let i = 0; i < 20; i++) queryTenants(big, { q: "shop1", health: ["down", "healthy"], sort: "health", page: 3 });
    expect((performance.now() - started) / 20).toBeLessThan(50);
  });
});

describe("orphans in the tenants list", () => {
  const orphans = [
    { cluster: "default", namespace: "tenant-old", name: "odoo-old-12345678", kind: "Deployment", instanceId: "deadbeef-0000-4000-8000-000000000000" },
    { cluster: "default", namespace: "tenant-older", name: "odoo-older-87654321", kind: "Deployment", instanceId: "feedface-0000-4000-8000-000000000000" },
  ];

  it("the Orphan workload filter counts and lists them (no tenant row is one)", () => {
    const all = queryTenants(fleet, {}, [], orphans);
    expect(all.facets.problem["orphan-workload"]).toBe(2);
    expect(all.orphans).toEqual([]);
    const filtered = queryTenants(fleet, { problem: ["orphan-workload"] }, [], orphans);
    expect(filtered.total).toBe(0);
    expect(filtered.orphans.map((o) => o.name)).toEqual(["odoo-old-12345678", "odoo-older-87654321"]);
    expect(filtered.facets.problem).toMatchObject({ "orphan-workload": 2, "crash-loop": 1 });
  });

  it("a search finds them by name, namespace or instance id prefix", () => {
    expect(queryTenants(fleet, { q: "older" }, [], orphans).orphans.map((o) => o.name)).toEqual(["odoo-older-87654321"]);
    expect(queryTenants(fleet, { q: "deadbeef" }, [], orphans).orphans.map((o) => o.name)).toEqual(["odoo-old-12345678"]);
    expect(queryTenants(fleet, { q: "deadbeef0000" }, [], orphans).facets.problem["orphan-workload"]).toBe(1);
    expect(queryTenants(fleet, { q: "acme" }, [], orphans).orphans).toEqual([]);
  });

  it("a tenant-only filter (health, type, billing, version) leaves them out", () => {
    const result = queryTenants(fleet, { problem: ["orphan-workload"], health: ["down"] }, [], orphans);
    expect(result.orphans).toEqual([]);
    expect(result.facets.problem["orphan-workload"]).toBeUndefined();
  });
});

describe("the cluster filter", () => {
  const clustered = Array.from({ length: 6 }, (_, n) => tenant(n + 1, { cluster: n % 3 === 0 ? "west" : "east" }));
  const orphans = [
    { cluster: "west", namespace: "tenant-w", name: "odoo-w", kind: "Deployment", instanceId: "deadbeef-0000-4000-8000-000000000000" },
    { cluster: "east", namespace: "tenant-e", name: "odoo-e", kind: "Deployment", instanceId: "feedface-0000-4000-8000-000000000000" },
  ];

  it("keeps the tenants and orphans of the clusters named, and counts every cluster with the other filters applied", () => {
    const west = queryTenants(clustered, { cluster: ["west"], problem: ["orphan-workload"] }, [], orphans);
    expect(west.orphans.map((orphan) => orphan.name)).toEqual(["odoo-w"]);
    const result = queryTenants(clustered, { cluster: ["west"] });
    expect(result.items.map((item) => item.cluster)).toEqual(["west", "west"]);
    expect(result.facets.cluster).toEqual({ west: 2, east: 4 });
    expect(queryTenants(clustered, { cluster: ["west"], instanceType: ["development"] }).facets.cluster).toEqual({ east: 2 });
    expect(queryTenants(clustered, { cluster: ["mars"] }).total).toBe(0);
    expect(selectTenants(clustered, { cluster: ["east"] }).every((summary) => summary.cluster === "east")).toBe(true);
  });
});

describe("summarizeFleet", () => {
  it("counts by health and lists attention, critical first, with orphans", () => {
    const summary = summarizeFleet({
      summaries: fleet,
      orphans: [
        {
          cluster: "default",
          namespace: "tenant-old",
          name: "odoo-old-12345678",
          kind: "Deployment",
          instanceId: "deadbeef-0000-4000-8000-000000000000",
          since: "2026-10-01T00:00:00Z",
        },
      ],
      storagePressure: [],
      freshness: [],
      now: new Date("2026-11-23T12:00:00Z"),
    });
    expect(summary.total).toBe(63);
    expect(summary.byHealth).toMatchObject({ healthy: 60, down: 1, degraded: 1, stopped: 1, missing: 0 });
    expect(summary.attention.map((a) => a.kind)).toEqual(["crash-loop", "orphan-workload", "backup-failed"]);
    expect(summary.attention[0]).toMatchObject({ tenantName: "odoo-acme-3f2a9c1b" });
  });
});

describe("list rows", () => {
  it("carry each problem briefly (kind, severity, title, since); details stay on the tenant page", () => {
    const detailed: Problem = {
      ...crash,
      detail: "Last exit: Error (exit code 1).",
      objectRef: { kind: "Pod", namespace: "tenant-acme", name: "odoo-acme-x" },
    };
    const result = queryTenants([tenant(1, { health: "down", problems: [detailed] })], { page: 1, pageSize: 25 });
    expect(result.items[0].problems).toEqual([{ kind: "crash-loop", severity: "critical", title: crash.title, since: crash.since }]);
  });
});

describe("selectTenants", () => {
  it("returns every match unpaged, in the list's sort order, so a run over a selection covers all pages", () => {
    const all = selectTenants(fleet, { odooVersion: ["17.0"] });
    expect(all).toHaveLength(queryTenants(fleet, { odooVersion: ["17.0"] }).total);
    expect(all.length).toBeGreaterThan(25);
    const firstPage = queryTenants(fleet, { odooVersion: ["17.0"], sort: "restarts", dir: "desc" }).items.map((t) => t.id);
    expect(
      selectTenants(fleet, { odooVersion: ["17.0"], sort: "restarts", dir: "desc" })
        .slice(0, 25)
        .map((t) => t.id),
    ).toEqual(firstPage);
    expect(selectTenants(fleet, { q: "acme", health: ["down"] }).map((t) => t.databaseName)).toEqual(["acme"]);
    expect(selectTenants(fleet, { q: "acme", health: ["healthy"] })).toEqual([]);
  });
});

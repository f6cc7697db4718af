import { describe, expect, it } from "vitest";

import type { FeedFreshness } from "@/lib/cluster/views";
import type { GateInputs, GateTenant } from "./gate-inputs";
import {
  evaluateClusterAccess,
  evaluateFinishedWavesHealthy,
  evaluateGate,
  evaluateProductionBackups,
  evaluateRunbookSucceededInStaging,
  evaluateVolumesBound,
  FAILING_SHOWN,
} from "./evaluators";

const NOW = new Date("2026-12-03T12:00:00Z");
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();

function tenant(name: string, overrides: Partial<GateTenant> = {}): GateTenant {
  return {
    id: `id-${name}`,
    name,
    instanceType: "production",
    health: "healthy",
    healthReason: "Running, 1 replica ready",
    migrationState: "native",
    backups: [{ name: `${name}-backup-1`, status: "succeeded", startedAt: hoursAgo(3), finishedAt: hoursAgo(2.9) }],
    volumes: [{ name: "odoo-filestore", phase: "Bound", usedPercent: 40 }],
    ...overrides,
  };
}

const liveFeeds: FeedFreshness[] = ["pods", "jobs", "persistentvolumeclaims", "volume-stats"].map((kind) => ({
  kind: kind as FeedFreshness["kind"],
  synced: true,
  objects: 10,
  stale: false,
}));

function inputs(overrides: Partial<GateInputs> = {}): GateInputs {
  return { now: NOW, cacheWarm: true, freshness: liveFeeds, tenants: [tenant("acme")], waves: [], succeededRuns: [], ...overrides };
}

describe("every gate is unknown while the cache is not warm", () => {
  it.each(["production-backups-24h", "finished-waves-healthy", "volumes-bound-below-90", "cluster-access", "runbook-succeeded-in-staging"] as const)(
    "%s",
    (gateId) => {
      const view = evaluateGate(inputs({ cacheWarm: false }), { gateId, param: gateId === "runbook-succeeded-in-staging" ? "restart-instance" : null });
      expect(view.state).toBe("unknown");
      expect(view.summary).toMatch(/cache/);
    },
  );
});

describe("production-backups-24h", () => {
  it("passes when every production tenant on Kubernetes backed up in the last 24 h", () => {
    const view = evaluateProductionBackups(inputs({ tenants: [tenant("acme"), tenant("globex")] }));
    expect(view).toMatchObject({ key: "production-backups-24h", state: "pass", failingCount: 0, failing: [] });
    expect(view.summary).toBe("All 2 production tenants on Kubernetes have a successful backup in the last 24 h");
  });

  it("fails for an old backup, a failed one and none, naming the tenants", () => {
    const view = evaluateProductionBackups(
      inputs({
        tenants: [
          tenant("acme"),
          tenant("old", { backups: [{ name: "b", status: "succeeded", startedAt: hoursAgo(30), finishedAt: hoursAgo(29) }] }),
          tenant("broken", { backups: [{ name: "b", status: "failed", startedAt: hoursAgo(2) }] }),
          tenant("never", { backups: [] }),
        ],
      }),
    );
    expect(view.state).toBe("fail");
    expect(view.failingCount).toBe(3);
    expect(view.failing.map((f) => f.name)).toEqual(["broken", "never", "old"]);
    expect(view.failing[0]).toMatchObject({ tenantId: "id-broken", reason: "Backups failed, none succeeded" });
    expect(view.failing[1].reason).toBe("No backup Job found");
    expect(view.failing[2].reason).toContain(hoursAgo(29));
    expect(view.summary).toBe("3 of 4 production tenants on Kubernetes have no successful backup in the last 24 h");
  });

  it("ignores staging tenants and tenants still on Swarm", () => {
    const view = evaluateProductionBackups(
      inputs({
        tenants: [
          tenant("acme"),
          tenant("stage", { instanceType: "staging", backups: [] }),
          tenant("swarm", { migrationState: "on-swarm", backups: [] }),
          tenant("restored", { migrationState: "data-restored", backups: [] }),
        ],
      }),
    );
    expect(view.state).toBe("pass");
  });

  it("counts a migrated tenant (started on Kubernetes) and fails it without a backup", () => {
    const view = evaluateProductionBackups(inputs({ tenants: [tenant("moved", { migrationState: "started-on-kubernetes", backups: [] })] }));
    expect(view.state).toBe("fail");
  });

  it("shows the first 50 failing tenants and counts them all", () => {
    const many = Array.from({ length: 120 }, (_, i) => tenant(`t${String(i).padStart(3, "0")}`, { backups: [] }));
    const view = evaluateProductionBackups(inputs({ tenants: many }));
    expect(view.failing).toHaveLength(FAILING_SHOWN);
    expect(view.failingCount).toBe(120);
    expect(view.failing[0].name).toBe("t000");
  });
});

describe("finished-waves-healthy", () => {
  const tenants = [tenant("acme"), tenant("crashy", { health: "down", healthReason: "Odoo keeps crashing" }), tenant("slow", { health: "degraded" })];

  it("passes when no wave finished, and when the finished wave's tenants are healthy", () => {
    expect(evaluateFinishedWavesHealthy(inputs({ tenants })).state).toBe("pass");
    const view = evaluateFinishedWavesHealthy(
      inputs({
        tenants,
        waves: [
          { id: "w1", name: "Canary", state: "completed", tenantIds: ["id-acme"] },
          { id: "w2", name: "Wave 2", state: "running", tenantIds: ["id-crashy"] },
        ],
      }),
    );
    expect(view).toMatchObject({ state: "pass", summary: "All 1 tenant in 1 finished wave are healthy" });
  });

  it("fails for an unhealthy tenant of a completed wave, naming the wave", () => {
    const view = evaluateFinishedWavesHealthy(
      inputs({ tenants, waves: [{ id: "w1", name: "Canary", state: "completed", tenantIds: ["id-acme", "id-crashy", "id-slow"] }] }),
    );
    expect(view.state).toBe("fail");
    expect(view.failing.map((f) => f.name)).toEqual(["crashy", "slow"]);
    expect(view.failing[0].reason).toBe("down: Odoo keeps crashing (wave “Canary”)");
    expect(view.summary).toBe("2 of 3 tenants in 1 finished wave are unhealthy now");
  });

  it("fails for a tenant that left the registry", () => {
    const view = evaluateFinishedWavesHealthy(inputs({ tenants, waves: [{ id: "w1", name: "Canary", state: "completed", tenantIds: ["gone"] }] }));
    expect(view.failing[0]).toMatchObject({ tenantId: "gone", reason: "In wave “Canary” but no longer in the registry" });
  });
});

describe("volumes-bound-below-90", () => {
  it("passes when every volume of a tenant on Kubernetes is Bound and below 90 %", () => {
    const view = evaluateVolumesBound(
      inputs({ tenants: [tenant("acme"), tenant("swarm", { migrationState: "on-swarm", volumes: [{ name: "odoo-filestore", phase: "Pending" }] })] }),
    );
    expect(view).toMatchObject({ state: "pass", failingCount: 0 });
    expect(view.summary).toBe("All 1 volume of 1 tenant on Kubernetes are Bound and below 90 %");
  });

  it("fails for a Pending claim and a volume at 90 % or more", () => {
    const view = evaluateVolumesBound(
      inputs({
        tenants: [
          tenant("acme"),
          tenant("pending", { volumes: [{ name: "odoo-filestore", phase: "Pending" }] }),
          tenant("full", { volumes: [{ name: "odoo-filestore", phase: "Bound", usedPercent: 93.04 }] }),
          tenant("edge", { volumes: [{ name: "odoo-filestore", phase: "Bound", usedPercent: 90 }] }),
        ],
      }),
    );
    expect(view.state).toBe("fail");
    expect(view.failing.map((f) => [f.name, f.reason])).toEqual([
      ["edge", "odoo-filestore 90% used"],
      ["full", "odoo-filestore 93% used"],
      ["pending", "odoo-filestore is Pending"],
    ]);
  });

  it("does not fail a Bound volume the stats poll has not seen, but says so", () => {
    const view = evaluateVolumesBound(inputs({ tenants: [tenant("new", { volumes: [{ name: "odoo-filestore", phase: "Bound" }] })] }));
    expect(view.state).toBe("pass");
    expect(view.summary).toContain("1 volume without usage stats yet");
  });

  it("is unknown until the kubelet stats were polled once", () => {
    const freshness = liveFeeds.map((feed) => (feed.kind === "volume-stats" ? { ...feed, synced: false, stale: true } : feed));
    expect(evaluateVolumesBound(inputs({ freshness })).state).toBe("unknown");
  });
});

describe("cluster-access", () => {
  it("passes when every watch is live", () => {
    expect(evaluateClusterAccess(inputs())).toMatchObject({ state: "pass", summary: "All 4 watches of the portal's cluster are live" });
  });

  it("fails on a forbidden watch, even before the cache is warm", () => {
    const freshness: FeedFreshness[] = [
      ...liveFeeds,
      {
        kind: "nodes",
        synced: false,
        objects: 0,
        stale: true,
        staleSince: hoursAgo(0),
        error: 'Kubernetes RBAC forbids this (403): nodes is forbidden: User "portal" cannot list resource "nodes"',
      },
    ];
    const view = evaluateClusterAccess(inputs({ freshness, cacheWarm: false }));
    expect(view.state).toBe("fail");
    expect(view.summary).toMatch(/^Kubernetes forbids the portal to watch nodes: .*403/);
  });

  it("fails when a watch has been stale for over a minute, not for a brief restart", () => {
    const staleFor = (minutes: number): FeedFreshness[] => [
      ...liveFeeds,
      {
        kind: "pods",
        synced: true,
        objects: 3,
        stale: true,
        staleSince: new Date(NOW.getTime() - minutes * 60_000).toISOString(),
        error: "Kubernetes API unreachable",
      },
    ];
    expect(evaluateClusterAccess(inputs({ freshness: staleFor(0.2) })).state).toBe("pass");
    const view = evaluateClusterAccess(inputs({ freshness: staleFor(5) }));
    expect(view.state).toBe("fail");
    expect(view.summary).toContain("pods stale since");
  });
});

describe("runbook-succeeded-in-staging", () => {
  const tenants = [tenant("prod"), tenant("stage", { instanceType: "staging" })];

  it("passes once the runbook succeeded on a staging tenant", () => {
    const view = evaluateRunbookSucceededInStaging(
      inputs({
        tenants,
        succeededRuns: [
          { runbookId: "restart-instance", tenantId: "id-stage", tenantName: "stage", endedAt: hoursAgo(1) },
          { runbookId: "restart-instance", tenantId: "id-stage", tenantName: "stage", endedAt: hoursAgo(5) },
        ],
      }),
      "restart-instance",
    );
    expect(view).toMatchObject({ key: "runbook-succeeded-in-staging:restart-instance", param: "restart-instance", state: "pass" });
    expect(view.summary).toBe(`restart-instance succeeded on staging tenant stage at ${hoursAgo(1)} (2 runs)`);
  });

  it("fails when it succeeded only in production or another runbook succeeded in staging", () => {
    const view = evaluateRunbookSucceededInStaging(
      inputs({
        tenants,
        succeededRuns: [
          { runbookId: "restart-instance", tenantId: "id-prod", tenantName: "prod", endedAt: hoursAgo(1) },
          { runbookId: "stop-instance", tenantId: "id-stage", tenantName: "stage", endedAt: hoursAgo(1) },
        ],
      }),
      "restart-instance",
    );
    expect(view).toMatchObject({ state: "fail", summary: "restart-instance has not succeeded on any of the 1 staging tenant yet" });
  });

  it("asks for a runbook id when the task names none", () => {
    expect(evaluateGate(inputs(), { gateId: "runbook-succeeded-in-staging", param: null })).toMatchObject({
      state: "unknown",
      key: "runbook-succeeded-in-staging",
    });
  });
});

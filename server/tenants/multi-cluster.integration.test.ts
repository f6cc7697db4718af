/**
 * Two clusters in one portal: two simulator processes (each its own fleet), configured the way a
 * deployment configures them (a directory of kubeconfigs, FLEETDECK_KUBECONFIG_DIR), one registry
 * naming each tenant's cluster. The tenants list and the overview show and filter both; a tenant's
 * page and a runbook reach the tenant's own cluster; stopping one simulator marks only its tenants
 * stale.
 */
import { randomUUID } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TenantRecord } from "@/lib/tenants/types";
import { startSimProcess, waitFor, type SimProcess } from "@/scripts/test-support/sim-process";
import { useTestDatabase } from "@/scripts/test-support/test-database";
import { parseEnv } from "@/server/env";
import { clusterConnections } from "@/server/kube/client";
import { ClusterCache } from "@/server/kube/cluster-cache";
import { ClusterSources } from "@/server/kube/cluster-sources";
import { RunbookEngine } from "@/server/runbooks/engine/engine";
import { getFleetSummary, getTenantDetail, listTenants } from "./tenant-service";
import { TenantDirectory } from "./tenant-view";

const db = useTestDatabase();
const operator = { id: randomUUID(), email: "operator@example.com", role: "operator" as const };

let workDir: string;
let east: SimProcess;
let west: SimProcess;
let caches: ClusterCache[];
let clusters: ClusterSources;
let directory: TenantDirectory;
let eastRecords: TenantRecord[];
let westRecords: TenantRecord[];
let engine: RunbookEngine | undefined;
/** A registry row whose cluster the portal is not configured for. */
const unconnected: TenantRecord = {
  id: "0a0a0a0a-0000-4000-8000-000000000001",
  name: "odoo-faraway-0a0a0a0a",
  databaseName: "faraway",
  customerId: "0b0b0b0b-0000-4000-8000-000000000001",
  customerEmail: "far@example.com",
  instanceType: "production",
  odooVersion: "17.0",
  billingStatus: "active",
  cluster: "ap-1",
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};

async function stats(sim: SimProcess): Promise<Record<string, number>> {
  return (await sim.call<{ byVerbResource: Record<string, number> }>("GET", "/_sim/stats")).byVerbResource;
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "fleetdeck-clusters-"));
  [east, west] = await Promise.all([
    startSimProcess({ kubeconfigPath: path.join(workDir, "east.kubeconfig"), token: "t", tenants: 8, args: ["--scenario", "healthy", "--seed", "1"] }),
    startSimProcess({ kubeconfigPath: path.join(workDir, "west.kubeconfig"), token: "t", tenants: 6, args: ["--scenario", "healthy", "--seed", "2"] }),
  ]);
  // As a Helm release mounts them: one kubeconfig per file, the cluster named by the file.
  const dir = path.join(workDir, "clusters");
  mkdirSync(dir);
  copyFileSync(path.join(workDir, "east.kubeconfig"), path.join(dir, "east.yaml"));
  copyFileSync(path.join(workDir, "west.kubeconfig"), path.join(dir, "west.yaml"));
  const env = parseEnv({ FLEETDECK_KUBECONFIG_DIR: dir }, { cwd: workDir, persistSecret: false });
  expect(env.CLUSTERS.map((cluster) => cluster.name)).toEqual(["east", "west"]);
  caches = clusterConnections(env.CLUSTERS).map(
    (connection) =>
      new ClusterCache({
        ...connection,
        settings: { tenantLabelKey: "saasodoo.instance.id", watchSilenceTimeoutMs: 20_000 },
        volumeStatsIntervalMs: 60_000,
        backoff: { initialMs: 100, maxMs: 1_000 },
      }),
  );
  for (const cache of caches) cache.start();
  clusters = new ClusterSources(caches);
  [eastRecords, westRecords] = await Promise.all([east.registry("east"), west.registry("west")]);
  const ids = new Set(eastRecords.map((record) => record.id));
  expect(westRecords.some((record) => ids.has(record.id))).toBe(false);
  directory = new TenantDirectory({ clusters: caches, loadRegistry: async () => [...eastRecords, ...westRecords, unconnected] });
  directory.start();
  await directory.ready({ warmTimeoutMs: 30_000 });
  await db.user.create({ data: { id: operator.id, email: operator.email, name: operator.email, role: operator.role } });
}, 120_000);

afterAll(async () => {
  engine?.dispose();
  directory?.stop();
  await Promise.all((caches ?? []).map((cache) => cache.stop()));
  east?.stop();
  west?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe("two clusters in one portal", () => {
  it("lists the tenants of both, each with its cluster, and a row of an unconfigured cluster as unknown saying why", async () => {
    const list = await listTenants(directory, { pageSize: 200 });
    expect(list.total).toBe(8 + 6 + 1);
    const byId = new Map(list.items.map((item) => [item.id, item]));
    for (const record of eastRecords) expect(byId.get(record.id)).toMatchObject({ cluster: "east", namespace: expect.any(String) });
    for (const record of westRecords) expect(byId.get(record.id)).toMatchObject({ cluster: "west", namespace: expect.any(String) });
    expect(list.items.filter((item) => item.cluster !== "ap-1").every((item) => item.health !== "unknown")).toBe(true);
    expect(byId.get(unconnected.id)).toMatchObject({
      health: "unknown",
      healthReason: expect.stringContaining('Runs in cluster "ap-1", which this portal is not connected to'),
    });
    expect(list.facets.cluster).toEqual({ east: 8, west: 6, "ap-1": 1 });
    expect(list.clusters).toEqual([
      { name: "east", state: "live", tenants: 8 },
      { name: "west", state: "live", tenants: 6 },
      { name: "ap-1", state: "not-connected", tenants: 1 },
    ]);
    expect(new Set(list.freshness.map((feed) => feed.cluster))).toEqual(new Set(["east", "west"]));
  });

  it("filters the list and the overview by cluster", async () => {
    const westList = await listTenants(directory, { cluster: ["west"], pageSize: 200 });
    expect(westList.items.map((item) => item.id).sort()).toEqual(westRecords.map((record) => record.id).sort());
    expect(new Set(westList.freshness.map((feed) => feed.cluster))).toEqual(new Set(["west"]));
    const eastFleet = await getFleetSummary(directory, { cluster: ["east"] });
    expect(eastFleet.total).toBe(8);
    expect(eastFleet.byHealth.healthy).toBe(8);
    expect((await getFleetSummary(directory)).total).toBe(15);
  });

  it("a tenant's page reads its own cluster's objects", async () => {
    const record = westRecords[0];
    const detail = await getTenantDetail(directory, record.id);
    expect(detail.cluster).toBe("west");
    expect(detail.pods.length).toBeGreaterThan(0);
    const namespaces = await west.call<{ items: { metadata: { name: string } }[] }>("GET", "/api/v1/namespaces");
    expect(namespaces.items.map((namespace) => namespace.metadata.name)).toContain(detail.namespace);
    const eastNamespaces = await east.call<{ items: { metadata: { name: string } }[] }>("GET", "/api/v1/namespaces");
    expect(eastNamespaces.items.map((namespace) => namespace.metadata.name)).not.toContain(detail.namespace);
  });

  it("a runbook on a west tenant changes the west cluster and sends nothing to east", async () => {
    engine = new RunbookEngine({
      db,
      tenantRecord: async (id) => directory.record(id),
      clusterFor: (record) => clusters.forTenant(record),
      settings: { maxVolumeSize: "200Gi", backupCronJobName: "odoo-backup" },
      sweepIntervalMs: 0,
      verifyPollMs: 200,
      watchPollMs: 100,
    });
    const record = westRecords[1];
    const preview = await engine.preview(operator, { tenantId: record.id, runbookId: "restart-instance", input: {} });
    expect(preview.canConfirm, JSON.stringify(preview.preconditions) + (preview.refusal ?? "")).toBe(true);
    await Promise.all([east.call("POST", "/_sim/stats/reset"), west.call("POST", "/_sim/stats/reset")]);
    const run = await engine.confirm(operator, {
      tenantId: record.id,
      runbookId: "restart-instance",
      input: {},
      planHash: preview.planHash,
      idempotencyKey: randomUUID(),
    });
    const done = await waitFor(
      "the restart to end",
      async () => {
        const view = await engine!.run(run.id);
        return ["succeeded", "failed", "timed-out", "cancelled", "rejected", "interrupted"].includes(view.state) ? view : undefined;
      },
      60_000,
    );
    expect(done.state, done.message).toBe("succeeded");
    expect((await stats(west))["patch deployments"]).toBe(1);
    expect((await stats(east))["patch deployments"] ?? 0).toBe(0);
    // A tenant of a cluster the portal does not read cannot be changed, and says why.
    expect(() => clusters.forTenant(unconnected)).toThrow(/runs in cluster "ap-1", which is not configured \(configured: "east", "west"\)/);
  }, 90_000);

  it("one simulator stopped marks only its tenants stale; the other cluster's stay fresh", async () => {
    west.stop();
    const westId = westRecords[2].id;
    await waitFor("west's tenants to turn stale", () => directory.summary(westId)?.stale, 30_000);
    for (const record of westRecords) expect(directory.summary(record.id)?.stale, record.databaseName).toMatchObject({ since: expect.any(String) });
    for (const record of eastRecords) expect(directory.summary(record.id)?.stale, record.databaseName).toBeUndefined();
    // The last known state is kept: the west tenants still read as they were.
    expect(directory.summary(westId)?.health).not.toBe("unknown");
    const list = await listTenants(directory, { pageSize: 200 });
    expect(list.clusters.find((cluster) => cluster.name === "west")).toMatchObject({ state: "stale", staleSince: expect.any(String) });
    expect(list.clusters.find((cluster) => cluster.name === "east")).toMatchObject({ state: "live" });
    const staleFeeds = list.freshness.filter((feed) => feed.staleSince);
    expect(new Set(staleFeeds.map((feed) => feed.cluster))).toEqual(new Set(["west"]));
    expect((await listTenants(directory, { cluster: ["east"] })).freshness.some((feed) => feed.stale)).toBe(false);
  }, 60_000);
});

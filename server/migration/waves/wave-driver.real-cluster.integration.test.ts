/**
 * A migration wave on a real kube-apiserver (scripts/lib/control-plane.ts) with a demo fleet
 * populated through its API, the portal reading and writing as its ServiceAccount: start on
 * Kubernetes over a batch at a concurrency, a tenant whose image cannot be pulled (kwok's fault
 * Stage) spending the failure budget, resume, verify (Odoo's health route through the real
 * services/proxy, answered by the test kubelet front), roll back, complete. What reached the
 * cluster is read from it: every started tenant's replicas, the broken one's state. The
 * simulator's version (with a portal restart mid-step) is wave-driver.integration.test.ts.
 * `npm test` runs it; alone:
 *   FLEETDECK_REAL_CLUSTER=1 npx vitest run server/migration/waves/wave-driver.real-cluster.integration.test.ts
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TenantRecord } from "@/lib/tenants/types";
import { startControlPlane, type ControlPlane } from "@/scripts/lib/control-plane";
import { FAULT_ANNOTATION } from "@/scripts/lib/real-fleet";
import { maxConcurrent } from "@/scripts/test-support/runbook-test-stack";
import { simClusterCache } from "@/scripts/test-support/sim-cluster-cache";
import { tenantRecordsOf, waitFor } from "@/scripts/test-support/sim-process";
import { useTestDatabase } from "@/scripts/test-support/test-database";
import type { ClusterCache } from "@/server/kube/cluster-cache";
import { RunbookEngine } from "@/server/runbooks/engine/engine";
import { TenantDirectory } from "@/server/tenants/tenant-view";
import { WaveDriver } from "./wave-driver";
import { WaveService } from "./wave-service";

const db = useTestDatabase();
let controlPlane: ControlPlane;
let stateDir: string;
let cache: ClusterCache;
let directory: TenantDirectory;
let records: TenantRecord[];
const stoppers: (() => unknown)[] = [];

const operator = { id: randomUUID(), email: "operator@example.com", role: "operator" as const };
const pm = { id: randomUUID(), email: "pm@example.com", role: "pm" as const };

interface DeploymentState {
  metadata: { name: string; namespace: string };
  spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
}

const deploymentPath = (record: TenantRecord) => {
  const cached = cache.listForTenant("deployments", record.id)[0];
  return `/apis/apps/v1/namespaces/${cached.metadata.namespace}/deployments/${cached.metadata.name}`;
};

beforeAll(async () => {
  stateDir = mkdtempSync(path.join(tmpdir(), "fleetdeck-waves-real-"));
  controlPlane = await startControlPlane({ stateDir, fleet: { scenario: "healthy", tenants: 12 }, log: () => {} });
  records = tenantRecordsOf(controlPlane.fleet!.registry);
  cache = simClusterCache(controlPlane.portalKubeconfig, { watchSilenceTimeoutMs: 120_000, volumeStatsIntervalMs: 10_000 });
  directory = new TenantDirectory({ clusters: [cache], loadRegistry: async () => records });
  directory.start();
  expect(await cache.whenWarm(30_000)).toBe(true);
  await directory.ready({ warmTimeoutMs: 30_000 });
  for (const user of [operator, pm]) await db.user.create({ data: { id: user.id, email: user.email, name: user.email, role: user.role } });
}, 240_000);

afterAll(async () => {
  for (const stop of stoppers.reverse()) await stop();
  directory?.stop();
  await cache?.stop();
  await controlPlane?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe("a migration wave on a real API server", () => {
  it("starts 8 tenants at concurrency 3, pauses on a failed image pull, resumes, verifies through the service proxy, rolls back the broken one and completes", async () => {
    const tenants = records.filter((record) => cache.listForTenant("deployments", record.id)[0]).slice(0, 8);
    expect(tenants).toHaveLength(8);
    // Where the migration scripts leave them: on Kubernetes at 0 replicas, on Swarm in the portal.
    for (const tenant of tenants) {
      await controlPlane.api.mergePatch(`${deploymentPath(tenant)}/scale`, { spec: { replicas: 0 } });
      await db.tenantMigration.create({ data: { tenantId: tenant.id, state: "on-swarm", updatedByEmail: "import" } });
    }
    await waitFor(
      "the stopped Deployments and no pod left in the cache",
      () =>
        tenants.every((tenant) => cache.listForTenant("deployments", tenant.id)[0]?.spec.replicas === 0 && cache.listForTenant("pods", tenant.id).length === 0),
      60_000,
    );
    const waves = new WaveService({
      db,
      fleet: { summaries: () => directory.summaries(), summary: (id) => directory.summary(id), largestVolumeBytes: () => 20 * 1024 ** 3 },
    });
    const wave = await waves.create(pm, {
      name: "Wave 1",
      description: "",
      selection: { instanceTypes: [], odooVersions: [], customer: "", sizes: [], tenantIds: tenants.map((t) => t.id) },
      batchSize: 8,
      concurrency: 3,
      failureBudget: 1,
      exitGateHours: 0,
    });
    for (const to of ["backed-up", "stopped-on-swarm", "data-restored"] as const) {
      expect((await waves.attest(pm, { waveId: wave.id, to, evidence: "pg_dump and CephFS copy logs" })).moved).toHaveLength(8);
    }
    // One tenant's image cannot be pulled (kwok's fault Stage turns its pods ImagePullBackOff).
    const members = await db.migrationWaveTenant.findMany({ where: { waveId: wave.id }, orderBy: { position: "asc" } });
    const broken = tenants.find((tenant) => tenant.id === members[2].tenantId)!;
    await controlPlane.api.mergePatch(deploymentPath(broken), { spec: { template: { metadata: { annotations: { [FAULT_ANNOTATION]: "image-pull" } } } } });

    await waves.act(operator, wave.id, "start");
    const engine = new RunbookEngine({
      db,
      holder: "portal-a",
      leaseMs: 2_000,
      tenantRecord: async (id) => records.find((record) => record.id === id),
      clusterFor: () => cache,
      settings: { maxVolumeSize: "200Gi", backupCronJobName: "odoo-backup" },
      sweepIntervalMs: 500,
      verifyPollMs: 200,
      watchPollMs: 100,
    });
    engine.start();
    stoppers.push(() => engine.dispose());
    const driver = new WaveDriver({ db, runbooks: engine, waves, holder: "portal-a", tickMs: 150, leaseMs: 1_500 });
    driver.start();
    stoppers.push(() => driver.stop());

    const state = () => db.migrationWave.findUniqueOrThrow({ where: { id: wave.id } });
    const paused = await waitFor("the wave to pause on its budget", async () => ((await state()).state === "paused" ? state() : undefined), 180_000);
    expect(paused.pausedReason).toMatch(/Failure budget reached: 1 failed run/);
    const failed = await db.migrationWaveRun.findMany({ where: { waveId: wave.id, state: "failed" } });
    expect(failed.map((run) => run.tenantId)).toEqual([broken.id]);
    expect(failed[0].message).toMatch(/does not come up.*(ImagePullBackOff|ErrImagePull)/);

    await waves.act(operator, wave.id, "resume");
    await waitFor("the start step to end", async () => ((await state()).state === "waiting" ? true : undefined), 180_000);
    const startRuns = await db.runbookRun.findMany({ where: { idempotencyKey: { startsWith: `wave:${wave.id}:start:` } } });
    expect(startRuns).toHaveLength(8);
    expect(new Set(startRuns.map((run) => run.tenantId)).size).toBe(8);
    expect(maxConcurrent(startRuns)).toBeLessThanOrEqual(3);
    // From the cluster: each started tenant runs its replica again.
    for (const tenant of tenants) {
      const deployment = await controlPlane.api.get<DeploymentState>(deploymentPath(tenant));
      expect(deployment.spec.replicas, tenant.databaseName).toBe(1);
    }

    // Verify the 7: the Deployment, the pods, and Odoo's health route through services/proxy.
    await waves.act(operator, wave.id, "verify");
    await waitFor("the verify step to end", async () => ((await state()).state === "waiting" ? true : undefined), 180_000);
    expect(await db.tenantMigration.count({ where: { waveId: wave.id, state: "verified" } })).toBe(7);
    const verifyRuns = await db.runbookRun.findMany({ where: { idempotencyKey: { startsWith: `wave:${wave.id}:verify:` } } });
    expect(verifyRuns.filter((run) => run.state === "succeeded")).toHaveLength(7);

    await waves.rollback(operator, { waveId: wave.id, tenantId: broken.id, reason: "image missing in the registry" });
    await waitFor("the wave to complete", async () => ((await state()).state === "completed" ? true : undefined), 60_000);
    expect(await db.tenantMigration.findUniqueOrThrow({ where: { tenantId: broken.id } })).toMatchObject({ state: "rolled-back" });
    expect((await waves.board(wave.id)).verifiedCount).toBe(7);
  }, 600_000);
});

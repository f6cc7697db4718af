/**
 * Every runbook end to end on a real kube-apiserver (scripts/lib/control-plane.ts) with the demo
 * fleet populated through its API (scripts/lib/real-fleet.ts), the portal reading and writing as
 * its own ServiceAccount (exactly server/kube/rbac.yaml). Here the answers are the real ones: the
 * dry runs, the 409 of a stale resourceVersion, the ResourceQuota admission refusing a start's
 * pods, the Eviction API refusing what a PodDisruptionBudget protects. The changes that reached
 * the cluster are counted from the cluster itself (a Deployment's generation, its replicas, the
 * Jobs that exist), not from request counters. The simulator's version is
 * engine.integration.test.ts. `npm test` runs it; alone:
 *   FLEETDECK_REAL_CLUSTER=1 npx vitest run server/runbooks/engine/engine.real-cluster.integration.test.ts
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunView } from "@/lib/runbooks/run-views";
import type { RunbookRequest } from "@/lib/runbooks/runbook-inputs";
import type { TenantRecord } from "@/lib/tenants/types";
import { startControlPlane, type ControlPlane } from "@/scripts/lib/control-plane";
import { simClusterCache } from "@/scripts/test-support/sim-cluster-cache";
import { tenantRecordsOf, waitFor } from "@/scripts/test-support/sim-process";
import { useTestDatabase } from "@/scripts/test-support/test-database";
import type { ClusterCache } from "@/server/kube/cluster-cache";
import { RunbookEngine } from "./engine";

const db = useTestDatabase();

let controlPlane: ControlPlane;
let stateDir: string;
let cache: ClusterCache;
let records: TenantRecord[];
const engines: RunbookEngine[] = [];

const users = {
  operator: { id: randomUUID(), email: "operator@example.com", role: "operator" as const },
  operator2: { id: randomUUID(), email: "second.operator@example.com", role: "operator" as const },
  admin: { id: randomUUID(), email: "admin@example.com", role: "admin" as const },
  admin2: { id: randomUUID(), email: "second.admin@example.com", role: "admin" as const },
};

function engine(): RunbookEngine {
  const made = new RunbookEngine({
    db,
    tenantRecord: async (id) => records.find((record) => record.id === id),
    clusterFor: () => cache,
    settings: { maxVolumeSize: "200Gi", backupCronJobName: "odoo-backup" },
    sweepIntervalMs: 0,
    verifyPollMs: 200,
    watchPollMs: 100,
  });
  engines.push(made);
  return made;
}

function tenant(databaseName: string): TenantRecord {
  const record = records.find((candidate) => candidate.databaseName === databaseName);
  if (!record) throw new Error(`no tenant ${databaseName}`);
  return record;
}

/** A healthy tenant (every replica available, no other pod) of the type asked, not used by another test yet. */
const used = new Set<string>();
/** The fleet plan's problem tenants are kept for the tests about their problem. */
let PROBLEM_TENANTS = new Set<string>();
function healthyTenant(type?: TenantRecord["instanceType"] | "not-production"): TenantRecord {
  const record = records.find((candidate) => {
    if (used.has(candidate.id) || PROBLEM_TENANTS.has(candidate.databaseName)) return false;
    if (type === "not-production" ? candidate.instanceType === "production" : type && candidate.instanceType !== type) return false;
    const deployment = cache.listForTenant("deployments", candidate.id)[0];
    const pods = cache.listForTenant("pods", candidate.id).filter((pod) => !pod.metadata.ownerReferences.some((o) => o.kind === "Job"));
    return (
      deployment && deployment.spec.replicas > 0 && deployment.status.availableReplicas >= deployment.spec.replicas && pods.length === deployment.spec.replicas
    );
  });
  if (!record) throw new Error(`no healthy ${type ?? ""} tenant left`);
  used.add(record.id);
  return record;
}

interface DeploymentState {
  metadata: { name: string; namespace: string; generation: number; resourceVersion: string; annotations?: Record<string, string> };
  spec: { replicas: number; template: { metadata?: { annotations?: Record<string, string> } } };
}

/** The tenant's Deployment as the API server has it now (admin credentials). */
async function deploymentOf(record: TenantRecord): Promise<DeploymentState> {
  const cached = cache.listForTenant("deployments", record.id)[0];
  return controlPlane.api.get<DeploymentState>(`/apis/apps/v1/namespaces/${cached.metadata.namespace}/deployments/${cached.metadata.name}`);
}

async function ended(subject: RunbookEngine, runId: string, timeoutMs = 60_000): Promise<RunView> {
  return waitFor(
    `run ${runId} to end`,
    async () => {
      const view = await subject.run(runId);
      return ["succeeded", "failed", "timed-out", "cancelled", "rejected", "interrupted"].includes(view.state) ? view : undefined;
    },
    timeoutMs,
  );
}

async function previewAndConfirm(subject: RunbookEngine, user: (typeof users)[keyof typeof users], tenantId: string, request: RunbookRequest) {
  const preview = await subject.preview(user, { tenantId, ...request });
  expect(preview.canConfirm, JSON.stringify(preview.preconditions) + (preview.refusal ?? "")).toBe(true);
  return { preview, run: await subject.confirm(user, { tenantId, ...request, planHash: preview.planHash, idempotencyKey: randomUUID() }) };
}

beforeAll(async () => {
  stateDir = mkdtempSync(path.join(tmpdir(), "fleetdeck-runbooks-real-"));
  // 30 tenants: the smallest demo fleet that holds the runbooks' problem tenants too.
  controlPlane = await startControlPlane({ stateDir, fleet: { scenario: "demo", tenants: 30 }, log: () => {} });
  records = tenantRecordsOf(controlPlane.fleet!.registry);
  PROBLEM_TENANTS = new Set(controlPlane.fleet!.plan.tenants.filter((planned) => planned.problem).map((planned) => planned.databaseName));
  // The real API server's bookmarks come about once a minute: the portal's default silence timeout.
  cache = simClusterCache(controlPlane.portalKubeconfig, { watchSilenceTimeoutMs: 120_000, volumeStatsIntervalMs: 5_000 });
  expect(await cache.whenWarm(30_000), "the portal's cache did not warm on the real cluster").toBe(true);
  // kwok brings the fleet's pods up within seconds of the populate; wait for one healthy tenant.
  await waitFor("a healthy tenant", () => records.some((record) => cache.listForTenant("deployments", record.id)[0]?.status.availableReplicas > 0), 60_000);
  for (const user of Object.values(users)) await db.user.create({ data: { id: user.id, email: user.email, name: user.email, role: user.role } });
}, 240_000);

afterAll(async () => {
  for (const made of engines) made.dispose();
  await cache?.stop();
  await controlPlane?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe("restart the instance", () => {
  it("previews with a real dry run (nothing changes), runs once, verifies the new pods, and a retry with the key changes nothing", async () => {
    const subject = engine();
    const record = healthyTenant();
    const before = await deploymentOf(record);
    const preview = await subject.preview(users.operator, { tenantId: record.id, runbookId: "restart-instance", input: {} });
    expect(preview.changes[0].diff).toContain("+        kubectl.kubernetes.io/restartedAt:");
    expect((await deploymentOf(record)).metadata.generation).toBe(before.metadata.generation);

    const key = randomUUID();
    const run = await subject.confirm(users.operator, {
      tenantId: record.id,
      runbookId: "restart-instance",
      input: {},
      planHash: preview.planHash,
      idempotencyKey: key,
    });
    const done = await ended(subject, run.id, 90_000);
    expect(done.state, done.message).toBe("succeeded");
    expect(done.message).toMatch(/Restarted: 1 new pod ready, no old pod left/);
    const again = await subject.confirm(users.operator, {
      tenantId: record.id,
      runbookId: "restart-instance",
      input: {},
      planHash: preview.planHash,
      idempotencyKey: key,
    });
    expect(again.id).toBe(run.id);
    const after = await deploymentOf(record);
    expect(after.metadata.generation).toBe(before.metadata.generation + 1);
    expect(after.spec.template.metadata?.annotations?.["kubectl.kubernetes.io/restartedAt"]).toBeTruthy();
    const audit = await db.auditEvent.findMany({ where: { targetId: record.id }, orderBy: { at: "asc" } });
    expect(audit.map((event) => event.action)).toEqual(["runbook.request", "runbook.run", "runbook.outcome"]);
  }, 150_000);

  it("20 confirmations with one key and a second operator at once make exactly one change in the cluster", async () => {
    const subject = engine();
    const other = engine();
    const record = healthyTenant();
    const before = await deploymentOf(record);
    const request = { runbookId: "restart-instance", input: {} } as const;
    const mine = await subject.preview(users.operator, { tenantId: record.id, ...request });
    const theirs = await other.preview(users.operator2, { tenantId: record.id, ...request });
    const key = randomUUID();
    const results = await Promise.allSettled([
      ...Array.from({ length: 20 }, () => subject.confirm(users.operator, { tenantId: record.id, ...request, planHash: mine.planHash, idempotencyKey: key })),
      other.confirm(users.operator2, { tenantId: record.id, ...request, planHash: theirs.planHash, idempotencyKey: randomUUID() }),
    ]);
    const runs = new Set(results.flatMap((result) => (result.status === "fulfilled" ? [result.value.id] : [])));
    expect(runs.size).toBe(1);
    const done = await ended(subject, [...runs][0], 90_000).catch(() => ended(other, [...runs][0], 90_000));
    expect(done.state, done.message).toBe("succeeded");
    await subject.idle();
    await other.idle();
    expect((await deploymentOf(record)).metadata.generation).toBe(before.metadata.generation + 1);
  }, 150_000);

  it("refuses a confirmation when the Deployment changed since the preview: the API server's own 409, nothing sent", async () => {
    const subject = engine();
    const record = healthyTenant();
    const preview = await subject.preview(users.operator, { tenantId: record.id, runbookId: "restart-instance", input: {} });
    const deployment = await deploymentOf(record);
    await controlPlane.api.mergePatch(`/apis/apps/v1/namespaces/${deployment.metadata.namespace}/deployments/${deployment.metadata.name}`, {
      metadata: { annotations: { "example.com/touched": "yes" } },
    });
    await waitFor(
      "the cache to see the change",
      () => cache.listForTenant("deployments", record.id)[0]?.metadata.resourceVersion !== deployment.metadata.resourceVersion,
    );
    // A Deployment's generation moves with its annotations too (the legacy rollback annotation).
    const touched = await deploymentOf(record);
    await expect(
      subject.confirm(users.operator, {
        tenantId: record.id,
        runbookId: "restart-instance",
        input: {},
        planHash: preview.planHash,
        idempotencyKey: randomUUID(),
      }),
    ).rejects.toMatchObject({ code: "CONFLICT", userMessage: expect.stringMatching(/changed since the preview/) });
    const after = await deploymentOf(record);
    expect(after.metadata.generation).toBe(touched.metadata.generation);
    expect(after.spec.template.metadata?.annotations?.["kubectl.kubernetes.io/restartedAt"]).toBeUndefined();
  }, 60_000);

  it("a restart of the crash-looping tenant ends failed verification with the reason", async () => {
    const subject = engine();
    const { run } = await previewAndConfirm(subject, users.operator, tenant("brightpath-logistics").id, { runbookId: "restart-instance", input: {} });
    const done = await ended(subject, run.id, 150_000);
    expect(done.state).toBe("failed");
    expect(done.message).toMatch(/does not come up\. Pod .+ is (CrashLoopBackOff|Error)/);
  }, 180_000);
});

describe("stop and start", () => {
  it("stops a tenant that is not production (no approval) to 0 replicas and starts it again, verified from the cluster", async () => {
    const subject = engine();
    const record = healthyTenant("not-production");
    const replicas = (await deploymentOf(record)).spec.replicas;
    const { run: stop } = await previewAndConfirm(subject, users.operator, record.id, { runbookId: "stop-instance", input: { reason: "maintenance" } });
    const stopped = await ended(subject, stop.id, 90_000);
    expect(stopped.state, stopped.message).toBe("succeeded");
    expect((await deploymentOf(record)).spec.replicas).toBe(0);
    expect((await deploymentOf(record)).metadata.annotations?.["fleetdeck.io/replicas-before-stop"]).toBe(String(replicas));

    const { run: start } = await previewAndConfirm(subject, users.operator, record.id, { runbookId: "start-instance", input: {} });
    const started = await ended(subject, start.id, 90_000);
    expect(started.state, started.message).toBe("succeeded");
    const after = await deploymentOf(record);
    expect(after.spec.replicas).toBe(replicas);
    expect(after.metadata.annotations?.["fleetdeck.io/replicas-before-stop"]).toBeUndefined();
  }, 200_000);

  it("a start the tenant's ResourceQuota refuses fails with the quota admission's own message", async () => {
    const subject = engine();
    const record = tenant("willow-pharmacy");
    const { run } = await previewAndConfirm(subject, users.operator, record.id, { runbookId: "start-instance", input: {} });
    const done = await ended(subject, run.id, 120_000);
    expect(done.state).toBe("failed");
    expect(done.message).toMatch(/exceeded quota: tenant-quota/);
  }, 150_000);
});

describe("remove a stuck pod", () => {
  it("evicts a pod through the Eviction API and verifies its replacement", async () => {
    const subject = engine();
    const record = healthyTenant();
    const pod = cache.listForTenant("pods", record.id).find((candidate) => !candidate.metadata.ownerReferences.some((o) => o.kind === "Job"))!;
    const { run } = await previewAndConfirm(subject, users.operator, record.id, {
      runbookId: "remove-stuck-pod",
      input: { pod: pod.metadata.name, force: false },
    });
    const done = await ended(subject, run.id, 90_000);
    expect(done.state, done.message).toBe("succeeded");
    expect(done.message).toMatch(new RegExp(`Pod ${pod.metadata.name} is gone and 1 pod of the instance is ready`));
  }, 120_000);

  it("the preview says the PodDisruptionBudget refuses the eviction (the real 429), and nothing can be confirmed", async () => {
    const subject = engine();
    const record = tenant("copperleaf-accounting");
    const pod = cache.listForTenant("pods", record.id).find((candidate) => !candidate.metadata.ownerReferences.some((o) => o.kind === "Job"))!;
    const preview = await subject.preview(users.operator, {
      tenantId: record.id,
      runbookId: "remove-stuck-pod",
      input: { pod: pod.metadata.name, force: false },
    });
    expect(preview.canConfirm).toBe(false);
    expect(preview.refusal).toMatch(/disruption budget odoo-pdb/);
    const still = await controlPlane.api.get<{ metadata: { deletionTimestamp?: string } }>(
      `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`,
    );
    expect(still.metadata.deletionTimestamp).toBeUndefined();
  }, 60_000);

  it("an admin's force delete of the pod stuck Terminating needs a second admin, then removes it", async () => {
    const subject = engine();
    const record = tenant("granite-hardware");
    const stuck = await waitFor("the Terminating pod in the cache", () =>
      cache.listForTenant("pods", record.id).find((candidate) => candidate.metadata.deletionTimestamp),
    );
    const { run } = await previewAndConfirm(subject, users.admin, record.id, {
      runbookId: "remove-stuck-pod",
      input: { pod: stuck.metadata.name, force: true, reason: "stuck terminating" },
    });
    expect(run.state).toBe("awaiting-approval");
    // The preview was a dry run: the pod is still there (a DELETE's body carries dryRun).
    expect((await controlPlane.api.call("GET", `/api/v1/namespaces/${stuck.metadata.namespace}/pods/${stuck.metadata.name}`)).status).toBe(200);
    await subject.approve(users.admin2, run.id, "seen it");
    const done = await ended(subject, run.id, 90_000);
    expect(done.state, done.message).toBe("succeeded");
    const gone = await controlPlane.api.call("GET", `/api/v1/namespaces/${stuck.metadata.namespace}/pods/${stuck.metadata.name}`, undefined, { accept: [404] });
    expect(gone.status).toBe(404);
  }, 120_000);
});

describe("expand a volume and back up now", () => {
  it("expands a Bound volume on an expandable class through the resizer and verifies the new capacity", async () => {
    const subject = engine();
    const record = tenant("bluefin-media");
    const pvc = cache.listForTenant("persistentvolumeclaims", record.id)[0];
    const size = `${Math.round((Number(/^(\d+)Gi$/.exec(pvc.status.capacity ?? "")?.[1]) || 10) * 2)}Gi`;
    const { preview, run } = await previewAndConfirm(subject, users.operator, record.id, {
      runbookId: "expand-volume",
      input: { volume: pvc.metadata.name, size },
    });
    expect(preview.changes[0].diff).toContain(`+      storage: ${size}`);
    const done = await ended(subject, run.id, 90_000);
    expect(done.state, done.message).toBe("succeeded");
    expect(done.message).toBe(`Volume ${pvc.metadata.name} now has ${size}.`);
  }, 120_000);

  it("backs up now with a Job from the backup CronJob, completed, with its log tail", async () => {
    const subject = engine();
    const record = healthyTenant();
    const { preview, run } = await previewAndConfirm(subject, users.operator, record.id, { runbookId: "back-up-now", input: {} });
    const [namespace, jobName] = preview.changes[0].title.split(" ")[1].split("/");
    const done = await ended(subject, run.id, 120_000);
    expect(done.state, done.message).toBe("succeeded");
    const job = await controlPlane.api.get<{ metadata: { annotations: Record<string, string>; ownerReferences: { kind: string; name: string }[] } }>(
      `/apis/batch/v1/namespaces/${namespace}/jobs/${jobName}`,
    );
    expect(job.metadata.annotations["cronjob.kubernetes.io/instantiate"]).toBe("manual");
    expect(job.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: "CronJob", name: "odoo-backup" })]);
    expect(done.steps.at(-1)).toMatchObject({ title: "Collect the output", state: "succeeded", output: expect.stringMatching(/^Last 40 lines of /) });
  }, 150_000);
});

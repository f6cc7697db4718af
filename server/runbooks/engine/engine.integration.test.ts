/**
 * The runbook engine against the simulator (a child process speaking the real API) and a real
 * database: every request the engine makes is an HTTP request, and the simulator's request
 * counters prove how many changes reached the cluster.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { TenantRecord } from "@/lib/tenants/types";
import type { RunView } from "@/lib/runbooks/run-views";
import type { RunbookRequest } from "@/lib/runbooks/runbook-inputs";
import { simClusterCache } from "@/scripts/test-support/sim-cluster-cache";
import { startSimProcess, waitFor, type SimProcess } from "@/scripts/test-support/sim-process";
import { useTestDatabase } from "@/scripts/test-support/test-database";
import type { ClusterCache } from "@/server/kube/cluster-cache";
import { RunbookEngine, type RunbookEngineOptions } from "./engine";

const TOKEN = "t";
const db = useTestDatabase();

let sim: SimProcess;
let workDir: string;
let cache: ClusterCache;
let records: TenantRecord[];
const engines: RunbookEngine[] = [];

const users = {
  operator: { id: randomUUID(), email: "operator@example.com", role: "operator" as const },
  operator2: { id: randomUUID(), email: "second.operator@example.com", role: "operator" as const },
  admin: { id: randomUUID(), email: "admin@example.com", role: "admin" as const },
};

function engine(options: Partial<RunbookEngineOptions> = {}): RunbookEngine {
  const made = new RunbookEngine({
    db,
    tenantRecord: async (id) => records.find((record) => record.id === id),
    clusterFor: () => cache,
    settings: { maxVolumeSize: "200Gi", backupCronJobName: "odoo-backup" },
    sweepIntervalMs: 0,
    verifyPollMs: 200,
    watchPollMs: 100,
    ...options,
  });
  engines.push(made);
  return made;
}

function tenant(databaseName: string): TenantRecord {
  const record = records.find((candidate) => candidate.databaseName === databaseName);
  if (!record) throw new Error(`no tenant ${databaseName}`);
  return record;
}

/** A healthy tenant of the requested instance type not used by another test yet. */
const used = new Set<string>();
async function healthyTenant(type?: TenantRecord["instanceType"], also: (record: TenantRecord) => boolean = () => true): Promise<TenantRecord> {
  // Waited for: under load a tenant an earlier test restarted may still have its old pod going.
  // A test that takes any type leaves the staging tenants (four, one of them OOM-looping) to the
  // test that needs one: development first, then production (the fleet has many), staging last.
  const pick = () =>
    type
      ? healthy(() => true)
      : (healthy((candidate) => candidate.instanceType === "development") ??
        healthy((candidate) => candidate.instanceType !== "staging") ??
        healthy(() => true));
  const healthy = (fits: (record: TenantRecord) => boolean) =>
    records.find((candidate) => {
      if (used.has(candidate.id) || (type && candidate.instanceType !== type) || !also(candidate) || !fits(candidate)) return false;
      const deployment = cache.listForTenant("deployments", candidate.id)[0];
      const pods = cache.listForTenant("pods", candidate.id).filter((pod) => !pod.metadata.ownerReferences.some((o) => o.kind === "Job"));
      return (
        deployment &&
        deployment.spec.replicas > 0 &&
        deployment.status.availableReplicas >= deployment.spec.replicas &&
        pods.length === deployment.spec.replicas &&
        !deployment.spec.paused
      );
    });
  const record = await waitFor(`a healthy ${type ?? ""} tenant`, pick, 30_000).catch(() => undefined);
  if (!record) throw new Error(`no healthy ${type ?? ""} tenant left`);
  used.add(record.id);
  return record;
}

async function stats(): Promise<Record<string, number>> {
  return (await sim.call<{ byVerbResource: Record<string, number> }>("GET", "/_sim/stats")).byVerbResource;
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

async function previewAndConfirm(
  subject: RunbookEngine,
  user: (typeof users)[keyof typeof users],
  tenantId: string,
  request: RunbookRequest,
  key = randomUUID(),
) {
  const preview = await subject.preview(user, { tenantId, ...request });
  expect(preview.canConfirm, JSON.stringify(preview.preconditions) + (preview.refusal ?? "")).toBe(true);
  return { preview, run: await subject.confirm(user, { tenantId, ...request, planHash: preview.planHash, idempotencyKey: key }) };
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "fleetdeck-runbooks-"));
  const kubeconfigPath = path.join(workDir, "kubeconfig");
  sim = await startSimProcess({ kubeconfigPath, token: TOKEN, tenants: 24 });
  cache = simClusterCache(kubeconfigPath);
  records = await sim.registry();
  expect(await cache.whenWarm(30_000)).toBe(true);
  for (const user of Object.values(users)) await db.user.create({ data: { id: user.id, email: user.email, name: user.email, role: user.role } });
}, 90_000);

afterAll(async () => {
  for (const made of engines) made.dispose();
  await cache?.stop();
  sim?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await sim.call("POST", "/_sim/stats/reset");
});

describe("restart the instance", () => {
  it("previews with the API server's dry run (no list), runs once, and verifies the new pods", async () => {
    const subject = engine();
    const record = await healthyTenant();
    const preview = await subject.preview(users.operator, { tenantId: record.id, runbookId: "restart-instance", input: {} });
    expect(preview.preconditions.every((p) => p.ok)).toBe(true);
    expect(preview.changes).toHaveLength(1);
    expect(preview.changes[0].diff).toContain("+        kubectl.kubernetes.io/restartedAt:");
    expect(preview.changes[0].request).toMatch(/^PATCH \/apis\/apps\/v1\/namespaces\/.+\/deployments\/.+ \(strategic merge\)$/);
    const previewStats = await stats();
    expect(previewStats["list deployments"] ?? 0).toBe(0);
    expect(previewStats["patch deployments"]).toBe(1); // the dry run

    await sim.call("POST", "/_sim/stats/reset");
    const key = randomUUID();
    const run = await subject.confirm(users.operator, {
      tenantId: record.id,
      runbookId: "restart-instance",
      input: {},
      planHash: preview.planHash,
      idempotencyKey: key,
    });
    expect(run.state).toBe("running");
    const done = await ended(subject, run.id);
    expect(done.state, done.message).toBe("succeeded");
    expect(done.message).toMatch(/Restarted: 1 new pod ready, no old pod left/);
    expect(done.steps.map((s) => [s.title.split(" ")[0], s.state])).toEqual([
      ["Restart", "succeeded"],
      ["Verify", "succeeded"],
    ]);
    expect((await stats())["patch deployments"]).toBe(1);

    // A retry with the same key returns the run; the same key with another payload is refused (422).
    expect(
      (
        await subject.confirm(users.operator, {
          tenantId: record.id,
          runbookId: "restart-instance",
          input: {},
          planHash: preview.planHash,
          idempotencyKey: key,
        })
      ).id,
    ).toBe(run.id);
    await expect(
      subject.confirm(users.operator, { tenantId: record.id, runbookId: "stop-instance", input: {}, planHash: preview.planHash, idempotencyKey: key }),
    ).rejects.toMatchObject({ code: "UNPROCESSABLE" });
    expect((await stats())["patch deployments"]).toBe(1);

    const audit = await db.auditEvent.findMany({ where: { targetId: record.id }, orderBy: { at: "asc" } });
    expect(audit.map((event) => event.action)).toEqual(["runbook.request", "runbook.run", "runbook.outcome"]);
  }, 90_000);

  it(
    "20 confirmations with one key and a second operator at once make exactly one change",
    () => oneChangeFromConcurrentConfirmations(engine(), engine()),
    90_000,
  );

  it("refuses a confirmation when the Deployment changed since the preview (409), and sends nothing", async () => {
    const subject = engine();
    const record = await healthyTenant();
    const preview = await subject.preview(users.operator, { tenantId: record.id, runbookId: "restart-instance", input: {} });
    const deployment = cache.listForTenant("deployments", record.id)[0];
    const before = deployment.metadata.resourceVersion;
    await sim.call(
      "PATCH",
      `/apis/apps/v1/namespaces/${deployment.metadata.namespace}/deployments/${deployment.metadata.name}`,
      { metadata: { annotations: { "example.com/touched": "yes" } } },
      { "Content-Type": "application/merge-patch+json" },
    );
    await waitFor("the cache to see the change", () => cache.listForTenant("deployments", record.id)[0]?.metadata.resourceVersion !== before);
    await sim.call("POST", "/_sim/stats/reset");
    await expect(
      subject.confirm(users.operator, {
        tenantId: record.id,
        runbookId: "restart-instance",
        input: {},
        planHash: preview.planHash,
        idempotencyKey: randomUUID(),
      }),
    ).rejects.toMatchObject({ code: "CONFLICT", userMessage: expect.stringMatching(/changed since the preview/) });
    expect((await stats())["patch deployments"] ?? 0).toBe(0);
  }, 60_000);

  it("a restart of the crash-looping tenant ends failed verification with the reason", async () => {
    const subject = engine();
    const record = tenant("brightpath-logistics");
    const { run } = await previewAndConfirm(subject, users.operator, record.id, { runbookId: "restart-instance", input: {} });
    const done = await ended(subject, run.id, 120_000);
    expect(done.state).toBe("failed");
    expect(done.message).toMatch(/does not come up\. Pod .+ is (CrashLoopBackOff|Error)/);
  }, 150_000);
});

describe.runIf(process.env.TEST_DATABASE_URL?.trim())("on PostgreSQL", () => {
  const pg = useTestDatabase({ postgresUrl: process.env.TEST_DATABASE_URL?.trim() });
  beforeAll(async () => {
    for (const user of Object.values(users)) await pg.user.create({ data: { id: user.id, email: user.email, name: user.email, role: user.role } });
  });
  it(
    "20 confirmations with one key and a second operator at once make exactly one change",
    () => oneChangeFromConcurrentConfirmations(engine({ db: pg }), engine({ db: pg })),
    90_000,
  );
});

describe("stop and start", () => {
  it("stopping a production tenant waits for a second person; the requester cannot approve; Undo starts it again", async () => {
    const subject = engine();
    const record = await healthyTenant("production");
    const { preview, run } = await previewAndConfirm(subject, users.operator, record.id, { runbookId: "stop-instance", input: { reason: "customer asked" } });
    expect(preview.needsApproval).toBe(true);
    expect(run.state).toBe("awaiting-approval");
    expect((await stats())["patch deployments/scale"] ?? 0).toBe(1); // the dry run only
    await expect(subject.approve(users.operator, run.id, undefined)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const approved = await subject.approve(users.admin, run.id, "ok");
    expect(approved.approval).toMatchObject({ decision: "approved", byEmail: users.admin.email });
    const stopped = await ended(subject, run.id);
    expect(stopped.state, stopped.message).toBe("succeeded");
    expect(stopped.undo).toEqual({ runbookId: "start-instance", input: {} });
    expect(cache.listForTenant("deployments", record.id)[0].spec.replicas).toBe(0);

    const { run: start } = await previewAndConfirm(subject, users.operator, record.id, { runbookId: "start-instance", input: {} });
    const started = await ended(subject, start.id);
    expect(started.state, started.message).toBe("succeeded");
    expect(cache.listForTenant("deployments", record.id)[0].spec.replicas).toBeGreaterThan(0);
    expect(cache.listForTenant("deployments", record.id)[0].metadata.annotations["fleetdeck.io/replicas-before-stop"]).toBeUndefined();
  }, 120_000);

  it("a rejected run changes nothing and says who rejected it", async () => {
    const subject = engine();
    const record = await healthyTenant("production");
    const { run } = await previewAndConfirm(subject, users.operator, record.id, { runbookId: "stop-instance", input: {} });
    await sim.call("POST", "/_sim/stats/reset");
    const rejected = await subject.reject(users.admin, run.id, "not during business hours");
    expect(rejected.state).toBe("rejected");
    expect(rejected.message).toBe("Rejected by admin@example.com: not during business hours");
    expect((await stats())["patch deployments/scale"] ?? 0).toBe(0);
  }, 60_000);
});

describe("remove a stuck pod", () => {
  it("evicts a pod through the Eviction API and verifies its replacement; force-deletion is for admins only", async () => {
    const subject = engine();
    const record = await healthyTenant();
    const pod = cache.listForTenant("pods", record.id).find((candidate) => !candidate.metadata.ownerReferences.some((o) => o.kind === "Job"))!.metadata.name;
    await expect(
      subject.preview(users.operator, { tenantId: record.id, runbookId: "remove-stuck-pod", input: { pod, force: true, reason: "stuck for an hour" } }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
      userMessage: "Only admins may force-delete a pod.",
    });
    const denied = await db.auditEvent.findFirst({ where: { action: "runbook.request", outcome: "denied", targetId: "remove-stuck-pod" } });
    expect(denied?.actorEmail).toBe(users.operator.email);

    const { preview, run } = await previewAndConfirm(subject, users.operator, record.id, { runbookId: "remove-stuck-pod", input: { pod, force: false } });
    expect(preview.changes[0]).toMatchObject({ effect: "removes", request: expect.stringMatching(/^POST \/api\/v1\/namespaces\/.+\/pods\/.+\/eviction$/) });
    const done = await ended(subject, run.id);
    expect(done.state, done.message).toBe("succeeded");
    expect(done.message).toMatch(new RegExp(`Pod ${pod} is gone and 1 pod of the instance is ready`));
  }, 90_000);
});

describe("expand a volume and back up now", () => {
  it("expands a Bound volume on an expandable class and verifies the new capacity", async () => {
    const subject = engine();
    const expandable = (record: TenantRecord) => {
      const className = cache.listForTenant("persistentvolumeclaims", record.id)[0]?.spec.storageClassName;
      return Boolean(className && cache.get("storageclasses", undefined, className)?.allowVolumeExpansion);
    };
    const record = await healthyTenant(undefined, expandable);
    const pvc = cache.listForTenant("persistentvolumeclaims", record.id)[0];
    const size = `${Math.round((Number(/^(\d+)Gi$/.exec(pvc.status.capacity ?? "")?.[1]) || 10) * 2)}Gi`;
    const { preview, run } = await previewAndConfirm(subject, users.operator, record.id, {
      runbookId: "expand-volume",
      input: { volume: pvc.metadata.name, size },
    });
    expect(preview.changes[0].diff).toContain(`+      storage: ${size}`);
    const done = await ended(subject, run.id, 60_000);
    expect(done.state, done.message).toBe("succeeded");
    expect(done.message).toBe(`Volume ${pvc.metadata.name} now has ${size}.`);
  }, 90_000);

  it("backs up now with a Job from the backup CronJob, as kubectl create job --from makes it, with its log tail", async () => {
    const subject = engine();
    const record = await healthyTenant();
    const { preview, run } = await previewAndConfirm(subject, users.operator, record.id, { runbookId: "back-up-now", input: {} });
    expect(preview.changes[0]).toMatchObject({ effect: "creates", title: expect.stringMatching(/^Job .+\/odoo-backup-manual-\d{14}$/) });
    expect(preview.changes[0].diff).toContain("+    cronjob.kubernetes.io/instantiate: manual");
    const done = await ended(subject, run.id, 120_000);
    expect(done.state, done.message).toBe("succeeded");
    const job = await sim.call<{ metadata: { annotations: Record<string, string>; ownerReferences: Record<string, unknown>[] } }>(
      "GET",
      `/apis/batch/v1/namespaces/${preview.changes[0].title.split(" ")[1].split("/")[0]}/jobs/${preview.changes[0].title.split("/")[1]}`,
    );
    expect(job.metadata.annotations["cronjob.kubernetes.io/instantiate"]).toBe("manual");
    expect(job.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: "CronJob", name: "odoo-backup", controller: true })]);
    expect(job.metadata.ownerReferences[0].blockOwnerDeletion).toBeUndefined();
    expect(done.steps.at(-1)).toMatchObject({ title: "Collect the output", state: "succeeded", output: expect.stringMatching(/^Last 40 lines of /) });
  }, 150_000);
});

describe("durability", () => {
  it("a portal stopped mid-run never re-sends: another process resumes the verification", async () => {
    const first = engine({ leaseMs: 1_500 });
    const record = await healthyTenant();
    const { run } = await previewAndConfirm(first, users.operator, record.id, { runbookId: "restart-instance", input: {} });
    await waitFor("the restart to be sent", async () => (await first.run(run.id)).state === "verifying", 30_000);
    first.dispose();
    const second = engine({ leaseMs: 1_500 });
    await waitFor(
      "the lease to lapse and the run to be taken over",
      async () => {
        await second.recover();
        return (await second.run(run.id)).state === "succeeded";
      },
      60_000,
    );
    // The preview's dry run and the one restart: the second process sent nothing.
    expect((await stats())["patch deployments"]).toBe(2);
  }, 90_000);

  it("a draining portal hands its verification back: the next sweep elsewhere resumes it at once, not a lease later", async () => {
    // A lease far longer than the test: only the hand-back lets the second process take the run.
    const first = engine({ leaseMs: 600_000, holder: "draining-portal" });
    const record = await healthyTenant();
    const { run } = await previewAndConfirm(first, users.operator, record.id, { runbookId: "restart-instance", input: {} });
    await waitFor("the restart to be sent", async () => (await first.run(run.id)).state === "verifying", 30_000);
    expect(await first.handBack()).toBe(1);
    const second = engine({ leaseMs: 600_000, holder: "other-replica" });
    await second.recover();
    expect(await db.tenantRunLease.findUnique({ where: { tenantId: record.id } })).toMatchObject({ runId: run.id, holder: "other-replica" });
    expect((await ended(second, run.id)).state).toBe("succeeded");
    expect((await stats())["patch deployments"]).toBe(2);
  }, 90_000);

  it("a portal stopped while sending the first of two mutations marks the run interrupted and never sends the second", async () => {
    // The stop's annotation never returns in the first process (as if it died while sending it).
    const hanging = new Proxy(cache, {
      get(target, property, receiver) {
        if (property === "mutate") {
          return (mutation: Parameters<ClusterCache["mutate"]>[0], options: Parameters<ClusterCache["mutate"]>[1]) =>
            mutation.type === "annotate-deployment" && !options.dryRun ? new Promise(() => undefined) : target.mutate(mutation, options);
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const first = engine({ leaseMs: 1_500, clusterFor: () => hanging });
    const record = await healthyTenant("staging");
    const { run } = await previewAndConfirm(first, users.operator, record.id, { runbookId: "stop-instance", input: {} });
    await waitFor("the annotation step to be marked sent", async () => (await first.run(run.id)).steps[0]?.state === "running", 30_000);
    first.dispose();
    const second = engine({ leaseMs: 1_500 });
    const interrupted = await waitFor(
      "the run to be taken over",
      async () => {
        await second.recover();
        await second.idle();
        const view = await second.run(run.id);
        return view.state === "interrupted" ? view : undefined;
      },
      60_000,
    );
    expect(interrupted.message).toMatch(/^The portal stopped after step 1 of 2; the rest was not sent and will not be\. The cluster shows: /);
    expect(interrupted.steps.map((step) => step.state)).toEqual(["failed", "skipped", "skipped"]);
    // Only the preview's dry runs reached the cluster.
    expect(await stats()).toMatchObject({ "patch deployments": 1, "patch deployments/scale": 1 });
    expect(await db.tenantRunLease.findUnique({ where: { tenantId: record.id } })).toBeNull();
  }, 90_000);

  it("verification waits while the API is down and concludes once it is back", async () => {
    const subject = engine();
    const record = await healthyTenant();
    const { run } = await previewAndConfirm(subject, users.operator, record.id, { runbookId: "restart-instance", input: {} });
    await waitFor("verifying", async () => (await subject.run(run.id)).state === "verifying", 30_000);
    await sim.call("POST", "/_sim/faults", { refuseForSeconds: 3 });
    const done = await ended(subject, run.id, 90_000);
    expect(done.state, done.message).toBe("succeeded");
  }, 120_000);
});

/** 20 confirmations with one key plus a second operator's own: one run, one patch in the cluster. */
async function oneChangeFromConcurrentConfirmations(subject: RunbookEngine, other: RunbookEngine): Promise<void> {
  const record = await healthyTenant();
  const request = { runbookId: "restart-instance", input: {} } as const;
  const mine = await subject.preview(users.operator, { tenantId: record.id, ...request });
  const theirs = await other.preview(users.operator2, { tenantId: record.id, ...request });
  await sim.call("POST", "/_sim/stats/reset");
  const key = randomUUID();
  const results = await Promise.allSettled([
    ...Array.from({ length: 20 }, () => subject.confirm(users.operator, { tenantId: record.id, ...request, planHash: mine.planHash, idempotencyKey: key })),
    other.confirm(users.operator2, { tenantId: record.id, ...request, planHash: theirs.planHash, idempotencyKey: randomUUID() }),
  ]);
  const runs = results.flatMap((result) => (result.status === "fulfilled" ? [result.value.id] : []));
  const refusals = results.flatMap((result) => (result.status === "rejected" ? [String((result.reason as { userMessage?: string }).userMessage)] : []));
  expect(new Set(runs).size).toBe(1);
  // Whoever confirmed first holds the tenant: the other operator, or all 20 copies of the key, are refused.
  expect([1, 20]).toContain(refusals.length);
  for (const refusal of refusals) expect(refusal).toMatch(/(second\.)?operator@example\.com is running Restart the instance since \d\d:\d\d UTC/);
  const done = await ended(subject, runs[0]);
  expect(done.state, done.message).toBe("succeeded");
  await subject.idle();
  await other.idle();
  expect((await stats())["patch deployments"]).toBe(1);
}

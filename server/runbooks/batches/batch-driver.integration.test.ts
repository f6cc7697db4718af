/**
 * Runs over a selection against the simulator (a child process speaking the real API) and a real
 * database: the runbook engine makes every change over HTTP, so the simulator's counters and the
 * run rows prove how many changes a selection made, how many ran at once, that the approval held
 * everything back, and that a restarted portal repeats nothing.
 */

import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TenantRecord } from "@/lib/tenants/types";
import { maxConcurrent, startRunbookTestStack, type RunbookTestStack } from "@/scripts/test-support/runbook-test-stack";
import { waitFor } from "@/scripts/test-support/sim-process";
import type { RunbookEngine } from "@/server/runbooks/engine/engine";
import { useTestDatabase } from "@/scripts/test-support/test-database";
import { RunbookBatchDriver } from "./batch-driver";
import { RunbookBatchService } from "./batch-service";

const db = useTestDatabase({ postgresUrl: process.env.TEST_DATABASE_URL });
let stack: RunbookTestStack;

const operator = { id: randomUUID(), email: "operator@example.com", role: "operator" as const };
const admin = { id: randomUUID(), email: "admin@example.com", role: "admin" as const };
const viewer = { id: randomUUID(), email: "viewer@example.com", role: "viewer" as const };

const engine = (holder: string) => stack.engine(holder);

function service(runbooks: RunbookEngine, approvalSize: number): RunbookBatchService {
  return new RunbookBatchService({
    db,
    summaries: async () => stack.directory.summaries(),
    assess: (user, request, tenantIds, source) => runbooks.assess(user, request, tenantIds, source),
    approvalSize,
  });
}

function driver(holder: string, runbooks: RunbookEngine): RunbookBatchDriver {
  const made = new RunbookBatchDriver({ db, runbooks, holder, tickMs: 150, leaseMs: 1_500 });
  made.start();
  stack.onStop(() => made.stop());
  return made;
}

async function stopInSim(tenants: TenantRecord[]): Promise<void> {
  for (const tenant of tenants) await stack.sim.call("POST", `/_sim/tenants/${tenant.databaseName}/stop`);
  await waitFor("the stopped Deployments in the cache", async () =>
    tenants.every((tenant) => stack.cache.listForTenant("deployments", tenant.id)[0]?.spec.replicas === 0) ? true : undefined,
  );
}

async function batchState(batchId: string) {
  return db.runbookBatch.findUniqueOrThrow({ where: { id: batchId } });
}

function dump(batchId: string) {
  return async (error: unknown) => {
    const items = await db.runbookBatchItem.findMany({ where: { batchId }, orderBy: { position: "asc" } });
    console.log("BATCH", JSON.stringify(await batchState(batchId)));
    console.log("ITEMS", JSON.stringify(items.map((item) => [item.tenantName, item.state, item.runId?.slice(0, 6), item.message])));
    throw error;
  };
}

beforeAll(async () => {
  stack = await startRunbookTestStack(db, { tenants: 30 });
  for (const user of [operator, admin, viewer]) await db.user.create({ data: { id: user.id, email: user.email, name: user.email, role: user.role } });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

describe("a run over a selection", () => {
  it("waits for a second person above the size, runs at most `concurrency` at once, pauses on its budget and survives a restart without repeating a run", async () => {
    const engineA = engine("portal-a");
    const batches = service(engineA, 10);
    const tenants = stack.records.slice(0, 12);
    await stopInSim(tenants);
    const broken = tenants[2];
    await stack.sim.call("POST", `/_sim/tenants/${broken.databaseName}/bad-image`);
    const running = stack.records[20];

    const request = { runbookId: "start-instance" as const, input: {} };
    const selection = { tenantIds: [...tenants.map((t) => t.id), running.id] };
    const preview = await batches.preview(operator, { request, selection });
    expect(preview).toMatchObject({ size: 13, runnable: 12, highRisk: 0, needsApproval: true, approvalSize: 10 });
    expect(preview.approvalReasons).toEqual(["13 tenants is more than 10, the size that runs without a second person."]);
    // The running tenant is passed over, with the reason its precondition gives.
    expect(preview.skipped).toHaveLength(1);
    expect(preview.skipped[0]).toMatchObject({ count: 1, examples: [running.name] });
    await expect(batches.preview(viewer, { request, selection })).rejects.toMatchObject({ code: "FORBIDDEN" });

    const key = randomUUID();
    const created = await batches.create(operator, { request, selection, concurrency: 3, failureBudget: 1, idempotencyKey: key });
    expect(created).toMatchObject({ state: "awaiting-approval", size: 13, counts: { pending: 13 } });
    // A double click makes one batch.
    expect((await batches.create(operator, { request, selection, concurrency: 3, failureBudget: 1, idempotencyKey: key })).id).toBe(created.id);
    expect(await db.runbookBatch.count()).toBe(1);

    // Nothing runs before the approval, and the requester cannot approve their own.
    await stack.sim.call("POST", "/_sim/stats/reset");
    const driverA = driver("portal-a", engineA);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await db.runbookRun.count({ where: { idempotencyKey: { startsWith: `selection:${created.id}:` } } })).toBe(0);
    await expect(batches.approve(operator, created.id, "")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(batches.approve(admin, created.id, "Planned maintenance")).resolves.toMatchObject({ state: "running", decidedBy: { email: admin.email } });

    // The broken tenant spends the budget of 1: the selection pauses, the runs in flight finish.
    const paused = await waitFor(
      "the selection to pause on its budget",
      async () => {
        const current = await batchState(created.id);
        return current.state === "paused" ? current : undefined;
      },
      120_000,
    ).catch(dump(created.id));
    expect(paused.pausedReason).toMatch(/Failure budget reached: 1 failed run/);
    await waitFor(
      "runs in flight to end",
      async () => ((await db.runbookBatchItem.count({ where: { batchId: created.id, state: "running" } })) === 0 ? true : undefined),
      60_000,
    );
    const failed = await db.runbookBatchItem.findMany({ where: { batchId: created.id, state: "failed" } });
    expect(failed.map((item) => item.tenantId)).toEqual([broken.id]);

    // Resume, then "restart" the portal mid-way: the first process drains and a second carries on.
    await batches.resume(operator, created.id);
    await waitFor(
      "a few more runs",
      async () => ((await db.runbookBatchItem.count({ where: { batchId: created.id, state: { in: ["running", "succeeded"] } } })) >= 7 ? true : undefined),
      60_000,
    );
    await driverA.stop();
    await engineA.idle(60_000);
    engineA.dispose();
    const engineB = engine("portal-b");
    driver("portal-b", engineB);

    const done = await waitFor(
      "the selection to complete",
      async () => {
        const current = await batchState(created.id);
        return current.state === "completed" ? current : undefined;
      },
      120_000,
    ).catch(dump(created.id));
    expect(done.endedAt).not.toBeNull();
    const items = await db.runbookBatchItem.findMany({ where: { batchId: created.id }, orderBy: { position: "asc" } });
    expect(items.filter((item) => item.state === "succeeded")).toHaveLength(11);
    expect(items.find((item) => item.tenantId === broken.id)?.state).toBe("failed");
    expect(items.find((item) => item.tenantId === running.id)).toMatchObject({ state: "skipped" });

    // Exactly one run per tenant, and one scale of each Deployment: nothing repeated across the restart.
    const runs = await db.runbookRun.findMany({ where: { idempotencyKey: { startsWith: `selection:${created.id}:` } } });
    expect(runs).toHaveLength(12);
    expect(new Set(runs.map((run) => run.tenantId)).size).toBe(12);
    expect(runs.every((run) => run.requestedByEmail === operator.email)).toBe(true);
    const stats = await stack.sim.call<{ byVerbResource: Record<string, number> }>("GET", "/_sim/stats");
    // 12 dry-run previews and 12 real scales: a repeated run would add to them.
    expect(stats.byVerbResource["patch deployments/scale"]).toBe(24);
    expect(maxConcurrent(runs)).toBeLessThanOrEqual(3);
    expect(maxConcurrent(runs)).toBeGreaterThan(1);

    // Retry the failed tenant once its image is fixed (and it is stopped again): a new attempt, a new key, one more run.
    await stack.sim.call("POST", `/_sim/tenants/${broken.databaseName}/heal`);
    await stopInSim([broken]);
    await batches.retryFailed(operator, created.id);
    const engineC = engine("portal-c");
    driver("portal-c", engineC);
    await waitFor(
      "the retry to succeed",
      async () => ((await db.runbookBatchItem.findFirst({ where: { batchId: created.id, tenantId: broken.id } }))?.state === "succeeded" ? true : undefined),
      120_000,
    ).catch(dump(created.id));
    const retried = await db.runbookBatchItem.findFirstOrThrow({ where: { batchId: created.id, tenantId: broken.id } });
    expect(retried).toMatchObject({ attempt: 2, idempotencyKey: `selection:${created.id}:${broken.id}:2` });

    const actions = (await db.auditEvent.findMany({ where: { targetId: created.id }, orderBy: { at: "asc" } })).map((event) => event.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "runbook.batch-create",
        "runbook.batch-approve",
        "runbook.batch-pause",
        "runbook.batch-resume",
        "runbook.batch-complete",
        "runbook.batch-retry",
      ]),
    );
    const denied = await db.auditEvent.findFirst({ where: { targetId: created.id, action: "runbook.batch-approve", outcome: "denied" } });
    expect(denied).not.toBeNull();
  }, 400_000);

  it("a high-risk run makes a small selection wait too, and the approver's decision covers each such run", async () => {
    const runbooks = engine("portal-d");
    const batches = service(runbooks, 25);
    driver("portal-d", runbooks);
    const production = stack.records.slice(12, 20).find((record) => record.instanceType === "production")!;
    const others = stack.records
      .slice(12, 20)
      .filter((record) => record.instanceType !== "production")
      .slice(0, 2);
    expect(production).toBeDefined();
    const selection = { tenantIds: [production.id, ...others.map((t) => t.id)] };
    const request = { runbookId: "stop-instance" as const, input: { reason: "customer asked for a pause" } };

    const preview = await batches.preview(operator, { request, selection });
    expect(preview).toMatchObject({ size: 3, runnable: 3, highRisk: 1, needsApproval: true });
    const created = await batches.create(operator, { request, selection, concurrency: 2, failureBudget: 3, idempotencyKey: randomUUID() });
    expect(created.state).toBe("awaiting-approval");
    await batches.approve(admin, created.id, "");
    await waitFor("the selection to complete", async () => ((await batchState(created.id)).state === "completed" ? true : undefined), 120_000).catch(
      dump(created.id),
    );
    const runs = await db.runbookRun.findMany({ where: { idempotencyKey: { startsWith: `selection:${created.id}:` } } });
    expect(runs.map((run) => run.state)).toEqual(["succeeded", "succeeded", "succeeded"]);
    const highRisk = runs.find((run) => run.tenantId === production.id)!;
    expect(highRisk).toMatchObject({ risk: "high", decision: "approved", decidedByEmail: admin.email, requestedByEmail: operator.email });
    await waitFor("the stopped Deployments in the cache", async () =>
      selection.tenantIds.every((id) => stack.cache.listForTenant("deployments", id)[0]?.spec.replicas === 0) ? true : undefined,
    );

    // Every tenant is stopped now: a selection with nothing to do is refused at creation.
    await expect(batches.create(operator, { request, selection, concurrency: 2, failureBudget: 3, idempotencyKey: randomUUID() })).rejects.toMatchObject({
      code: "CONFLICT",
    });

    // A rejected selection runs nothing; its tenants are marked as not run.
    const strict = service(runbooks, 1);
    const start = { runbookId: "start-instance" as const, input: {} };
    const rejected = await strict.create(operator, { request: start, selection, concurrency: 2, failureBudget: 3, idempotencyKey: randomUUID() });
    expect(rejected.state).toBe("awaiting-approval");
    await expect(strict.reject(admin, rejected.id, "Not during the sale")).resolves.toMatchObject({ state: "rejected", counts: { cancelled: 3 } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await db.runbookRun.count({ where: { idempotencyKey: { startsWith: `selection:${rejected.id}:` } } })).toBe(0);
    await expect(strict.approve(admin, rejected.id, "")).rejects.toMatchObject({ code: "CONFLICT" });

    // Runs that fail fast (verifying stopped instances) pause the selection before it runs out:
    // at most `concurrency` runs are in flight when the budget is spent, so the third never starts.
    const verify = await batches.create(operator, {
      request: { runbookId: "verify-instance", input: {} },
      selection,
      concurrency: 2,
      failureBudget: 1,
      idempotencyKey: randomUUID(),
    });
    const pausedVerify = await waitFor(
      "the verification to pause",
      async () => {
        const current = await batchState(verify.id);
        return current.state === "paused" ? current : undefined;
      },
      60_000,
    ).catch(dump(verify.id));
    expect(pausedVerify.pausedReason).toMatch(/Failure budget reached: [12] failed runs? \(budget 1\)/);
    await waitFor(
      "runs in flight to end",
      async () => ((await db.runbookBatchItem.count({ where: { batchId: verify.id, state: "running" } })) === 0 ? true : undefined),
      60_000,
    );
    const verifyItems = await db.runbookBatchItem.findMany({ where: { batchId: verify.id }, orderBy: { position: "asc" } });
    expect(verifyItems.at(-1)?.state).toBe("pending");
    expect(verifyItems[0]).toMatchObject({ state: "failed", message: expect.stringMatching(/stopped \(0 replicas\)/) });
  }, 300_000);
});

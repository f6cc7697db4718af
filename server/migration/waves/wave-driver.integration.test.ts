/**
 * A migration wave against the simulator (a child process speaking the real API) and a real
 * database: the runbook engine makes every change over HTTP, so the simulator's counters and the
 * run rows prove how many changes a wave made, how many ran at once, and that a restarted portal
 * repeats nothing.
 */

import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TenantRecord } from "@/lib/tenants/types";
import { maxConcurrent, startRunbookTestStack, type RunbookTestStack } from "@/scripts/test-support/runbook-test-stack";
import { waitFor } from "@/scripts/test-support/sim-process";
import type { RunbookEngine } from "@/server/runbooks/engine/engine";
import { useTestDatabase } from "@/scripts/test-support/test-database";
import { WaveDriver } from "./wave-driver";
import { WaveService } from "./wave-service";

const db = useTestDatabase({ postgresUrl: process.env.TEST_DATABASE_URL });
let stack: RunbookTestStack;

const operator = { id: randomUUID(), email: "operator@example.com", role: "operator" as const };
const pm = { id: randomUUID(), email: "pm@example.com", role: "pm" as const };

const engine = (holder: string) => stack.engine(holder);

function service(): WaveService {
  return new WaveService({
    db,
    fleet: {
      summaries: () => stack.directory.summaries(),
      summary: (id) => stack.directory.summary(id),
      largestVolumeBytes: () => 20 * 1024 ** 3,
    },
  });
}

function driver(holder: string, runbooks: RunbookEngine, waves: WaveService): WaveDriver {
  const made = new WaveDriver({ db, runbooks, waves, holder, tickMs: 150, leaseMs: 1_500 });
  made.start();
  stack.onStop(() => made.stop());
  return made;
}

/** Puts `tenants` where the migration scripts leave them: on Kubernetes at 0 replicas, on Swarm in the portal. */
async function prepareOnSwarm(tenants: TenantRecord[]): Promise<void> {
  for (const tenant of tenants) {
    await stack.sim.call("POST", `/_sim/tenants/${tenant.databaseName}/stop`);
    await db.tenantMigration.create({ data: { tenantId: tenant.id, state: "on-swarm", updatedByEmail: "import" } });
  }
  await waitFor("the stopped Deployments in the cache", async () =>
    tenants.every((tenant) => stack.cache.listForTenant("deployments", tenant.id)[0]?.spec.replicas === 0) ? true : undefined,
  );
}

async function waveState(waveId: string) {
  return db.migrationWave.findUniqueOrThrow({ where: { id: waveId } });
}

beforeAll(async () => {
  stack = await startRunbookTestStack(db, { tenants: 30 });
  for (const user of [operator, pm]) await db.user.create({ data: { id: user.id, email: user.email, name: user.email, role: user.role } });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

describe("a migration wave", () => {
  it("runs start → verify over 20 tenants at concurrency 5, pauses on its failure budget, resumes after a restart without repeating a step", async () => {
    const tenants = stack.records.slice(0, 20);
    await prepareOnSwarm(tenants);
    const waves = service();

    const wave = await waves.create(pm, {
      name: "Wave 1",
      description: "",
      selection: { instanceTypes: [], odooVersions: [], customer: "", sizes: [], tenantIds: tenants.map((t) => t.id) },
      batchSize: 10,
      concurrency: 5,
      failureBudget: 1,
      exitGateHours: 0,
    });
    expect(wave.tenantCount).toBe(20);
    expect(await db.tenantMigration.count({ where: { waveId: wave.id, state: "scheduled" } })).toBe(20);
    // The steps outside the cluster are attested for the whole wave.
    for (const to of ["backed-up", "stopped-on-swarm", "data-restored"] as const) {
      expect((await waves.attest(pm, { waveId: wave.id, to, evidence: "pg_dump and CephFS copy logs" })).moved).toHaveLength(20);
    }
    await expect(waves.act(operator, wave.id, "start")).resolves.toMatchObject({ state: "running", currentStep: "start" });

    // One tenant of the first batch cannot come up: its image does not exist.
    const batches = await db.migrationWaveTenant.findMany({ where: { waveId: wave.id }, orderBy: { position: "asc" } });
    expect(batches.map((member) => member.batch)).toEqual([...Array(10).fill(0), ...Array(10).fill(1)]);
    const firstBatch = new Set(batches.filter((member) => member.batch === 0).map((member) => member.tenantId));
    const broken = tenants.find((tenant) => tenant.id === batches[3].tenantId)!;
    await stack.sim.call("POST", `/_sim/tenants/${broken.databaseName}/bad-image`);

    await stack.sim.call("POST", "/_sim/stats/reset");
    const engineA = engine("portal-a");
    const driverA = driver("portal-a", engineA, waves);

    // The failure spends the budget of 1: the wave pauses, runs in flight finish.
    const paused = await waitFor(
      "the wave to pause on its budget",
      async () => {
        const current = await waveState(wave.id);
        return current.state === "paused" ? current : undefined;
      },
      120_000,
    );
    expect(paused.pausedReason).toMatch(/Failure budget reached: 1 failed run/);
    const failed = await db.migrationWaveRun.findMany({ where: { waveId: wave.id, state: "failed" } });
    expect(failed.map((run) => run.tenantId)).toEqual([broken.id]);
    expect(failed[0].message).toMatch(/does not come up/);
    // The second batch did not start before the first had no run in flight.
    await waitFor(
      "runs in flight to end",
      async () => ((await db.migrationWaveRun.count({ where: { waveId: wave.id, state: { in: ["pending", "running"] } } })) === 0 ? true : undefined),
      60_000,
    );
    const startedSoFar = await db.migrationWaveRun.findMany({ where: { waveId: wave.id, step: "start" } });
    expect(startedSoFar.every((run) => firstBatch.has(run.tenantId))).toBe(true);

    // Resume; then "restart" the portal mid-step: the first process stops without finishing anything.
    await waves.act(operator, wave.id, "resume");
    await waitFor(
      "a few runs of the second batch",
      async () =>
        (await db.migrationWaveRun.count({
          where: { waveId: wave.id, step: "start", state: { in: ["running", "succeeded"] }, tenantId: { notIn: [...firstBatch] } },
        })) >= 3
          ? true
          : undefined,
      60_000,
    );
    // The first process stops its driver and lets the runs it executes finish, as a rolling
    // restart drains (a crash mid-plan leaves an "interrupted" run, the engine's own tests show).
    await driverA.stop();
    await engineA.idle(60_000);
    engineA.dispose();
    const engineB = engine("portal-b");
    driver("portal-b", engineB, waves);

    await waitFor("the start step to end", async () => ((await waveState(wave.id)).state === "waiting" ? true : undefined), 60_000).catch(async (error) => {
      const rows = await db.migrationWaveRun.findMany({ where: { waveId: wave.id } });
      const runs = await db.runbookRun.findMany({ where: { idempotencyKey: { startsWith: `wave:${wave.id}:` } } });
      console.log("WAVE", JSON.stringify(await waveState(wave.id)));
      console.log("ROWS", JSON.stringify(rows.map((r) => [r.tenantId.slice(0, 6), r.step, r.state, r.runId?.slice(0, 6), r.message])));
      console.log("RUNS", JSON.stringify(runs.map((r) => [r.tenantId.slice(0, 6), r.id.slice(0, 6), r.state, r.message])));
      throw error;
    });
    expect(await db.tenantMigration.count({ where: { waveId: wave.id, state: "started-on-kubernetes" } })).toBe(19);
    const startRows = await db.migrationWaveRun.findMany({ where: { waveId: wave.id, step: "start" } });
    expect(startRows).toHaveLength(20);
    expect(startRows.filter((row) => row.state !== "succeeded").map((row) => [row.tenantId, row.state])).toEqual([[broken.id, "failed"]]);

    // Exactly one start run per tenant, and one scale of each Deployment: nothing repeated across the restart.
    const startRuns = await db.runbookRun.findMany({ where: { idempotencyKey: { startsWith: `wave:${wave.id}:start:` } } });
    expect(startRuns).toHaveLength(20);
    expect(new Set(startRuns.map((run) => run.tenantId)).size).toBe(20);
    const scaled = await stack.sim.call<{ byVerbResource: Record<string, number> }>("GET", "/_sim/stats");
    expect(startRuns.filter((run) => run.state === "succeeded")).toHaveLength(19);
    // 20 dry-run previews and 20 real scales, 20 + 20 of the annotation: a repeated step would add to them.
    expect(scaled.byVerbResource["patch deployments/scale"]).toBe(40);
    expect(scaled.byVerbResource["patch deployments"]).toBe(40);
    expect(maxConcurrent(startRuns)).toBeLessThanOrEqual(5);
    expect(maxConcurrent(startRuns)).toBeGreaterThan(1);

    // Verify the 19 (the Odoo health endpoint through the service proxy, the Deployment, the pods).
    await waves.act(operator, wave.id, "verify");
    await waitFor("the verify step to end", async () => ((await waveState(wave.id)).state === "waiting" ? true : undefined), 120_000);
    expect(await db.tenantMigration.count({ where: { waveId: wave.id, state: "verified" } })).toBe(19);

    // The broken tenant is rolled back with the reason; the exit gate then holds and the wave completes.
    await waves.rollback(operator, { waveId: wave.id, tenantId: broken.id, reason: "image missing in the registry" });
    await waitFor("the wave to complete", async () => ((await waveState(wave.id)).state === "completed" ? true : undefined), 60_000);
    const brokenState = await db.tenantMigration.findUniqueOrThrow({ where: { tenantId: broken.id } });
    expect(brokenState).toMatchObject({ state: "rolled-back", reason: "image missing in the registry" });

    const board = await waves.board(wave.id);
    expect(board.exitGate.passed).toBe(true);
    expect(board.verifiedCount).toBe(19);
    const actions = (await db.auditEvent.findMany({ where: { targetId: wave.id }, orderBy: { at: "asc" } })).map((event) => event.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "migration.wave-create",
        "migration.wave-attest",
        "migration.wave-start",
        "migration.wave-pause",
        "migration.wave-resume",
        "migration.wave-verify",
        "migration.wave-complete",
      ]),
    );
    const events = await db.tenantMigrationEvent.findMany({ where: { tenantId: tenants[0].id }, orderBy: { at: "asc" } });
    expect(events.map((event) => `${event.toState}:${event.via}`)).toEqual([
      "scheduled:person",
      "backed-up:person",
      "stopped-on-swarm:person",
      "data-restored:person",
      "started-on-kubernetes:wave",
      "verified:wave",
    ]);
  }, 300_000);
});

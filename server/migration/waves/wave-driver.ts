import "server-only";

import { can, type Role } from "@/lib/auth/permissions";
import type { WaveBatchStep, WaveStep } from "@/lib/migration/waves";
import { TERMINAL_RUN_STATES, type RunView } from "@/lib/runbooks/run-views";
import type { RunbookRequest } from "@/lib/runbooks/runbook-inputs";
import type { TenantMigrationState } from "@/lib/migration/tenant-states";
import { recordAuditEvent } from "@/server/audit/audit-log";
import type { Prisma, PrismaClient } from "@/server/db/generated/client";
import { AppError } from "@/server/errors/app-error";
import { LeasedDriver, type LeasedDriverOptions } from "@/server/leased-driver";
import { transitionTenant } from "@/server/migration/tenant-migration";
import { countedFailures, type WaveService } from "./wave-service";
import { WAVE_STEP_DEFINITIONS, waveRunKey } from "./wave-steps";

type WaveRow = Prisma.MigrationWaveGetPayload<object>;
type WaveRunRow = Prisma.MigrationWaveRunGetPayload<object>;

type Actor = { id: string; email: string; role: Role };

/** What the driver needs of the runbook engine. */
export interface WaveRunbooks {
  request(
    user: Actor,
    request: RunbookRequest & { tenantId: string },
    idempotencyKey: string,
  ): Promise<{ run: RunView; refused?: undefined } | { refused: string; run?: undefined }>;
  run(runId: string): Promise<RunView>;
}

export interface WaveDriverOptions extends LeasedDriverOptions {
  db: PrismaClient;
  runbooks: WaveRunbooks;
  waves: WaveService;
  /** A run that cannot be started (the tenant's lock is held) fails after this long. */
  launchPatienceMs?: number;
  onStatesChanged?(tenantIds: readonly string[]): void;
}

const IN_FLIGHT = ["pending", "running"];

function isTerminal(view: RunView): boolean {
  return TERMINAL_RUN_STATES.includes(view.state);
}

/**
 * Runs the waves' cluster steps through the runbook engine, batch by batch, at most `concurrency`
 * runs of a wave at a time, each run with its own lock, idempotency key (`wave:<id>:<step>:<tenant>:<attempt>`)
 * and audit. Everything it knows is in the database, so a restarted process (or another replica,
 * once the lease lapses) carries on where it stopped without repeating a step: a run's key finds
 * the run that was started before the restart.
 */
export class WaveDriver extends LeasedDriver {
  constructor(private readonly options: WaveDriverOptions) {
    super("waves", options);
  }

  /** One pass over every wave with work: follow runs, start runs, pause on the budget, check the exit gate. */
  async tick(): Promise<void> {
    const waves = await this.options.db.migrationWave.findMany({
      where: { OR: [{ state: { in: ["running", "waiting"] } }, { runs: { some: { state: { in: IN_FLIGHT } } } }] },
    });
    for (const wave of waves) {
      if (await this.lease(wave.id)) await this.drive(wave);
    }
  }

  private async lease(waveId: string): Promise<boolean> {
    return (await this.options.db.migrationWave.updateMany(this.leaseClaim(waveId))).count === 1;
  }

  private async runner(wave: WaveRow): Promise<Actor | undefined> {
    if (!wave.runById) return undefined;
    const user = await this.options.db.user.findUnique({ where: { id: wave.runById }, select: { id: true, email: true, role: true, disabled: true } });
    if (!user || user.disabled || !can(user.role as Role, "runbook:run")) return undefined;
    return { id: user.id, email: user.email, role: user.role as Role };
  }

  private async drive(wave: WaveRow): Promise<void> {
    const db = this.options.db;
    const runs = await db.migrationWaveRun.findMany({ where: { waveId: wave.id }, orderBy: [{ createdAt: "asc" }] });
    const user = await this.runner(wave);

    // 1. Follow the runs in flight.
    for (const run of runs.filter((r) => r.state === "running" && r.runId)) {
      const view = await this.options.runbooks.run(run.runId!);
      if (isTerminal(view)) await this.settle(wave, run, view);
    }

    let current = await db.migrationWave.findUniqueOrThrow({ where: { id: wave.id } });
    const fresh = await db.migrationWaveRun.findMany({ where: { waveId: wave.id } });

    // 2. The failure budget.
    if (current.state === "running" && countedFailures(current, fresh) >= current.failureBudget) {
      await this.pause(
        current,
        `Failure budget reached: ${countedFailures(current, fresh)} failed runs (budget ${current.failureBudget}). Look at the failed tenants, roll them back or retry, then resume.`,
      );
      return;
    }

    const pendingRows = fresh.filter((r) => r.state === "pending");
    if (pendingRows.length > 0 && !user) {
      if (current.state === "running")
        await this.pause(current, `${current.runByEmail ?? "The operator"} can no longer run runbooks. Resume the wave as an operator.`);
      return;
    }

    // 3. Start runs: rollbacks first (a person asked for each), then the step's next tenants.
    const running = fresh.filter((r) => r.state === "running").length;
    let slots = current.concurrency - running;
    for (const row of pendingRows.filter((r) => r.step === "rollback")) {
      if (slots <= 0) break;
      await this.launch(current, row, user!);
      slots -= 1;
    }
    if (current.state !== "running" || !current.currentStep) return this.checkExit(current);
    const step = current.currentStep as WaveBatchStep;
    const definition = WAVE_STEP_DEFINITIONS[step];
    const members = await db.migrationWaveTenant.findMany({ where: { waveId: wave.id }, orderBy: { position: "asc" } });
    const states = new Map(
      (await db.tenantMigration.findMany({ where: { tenantId: { in: members.map((m) => m.tenantId) } }, select: { tenantId: true, state: true } })).map(
        (row) => [row.tenantId, row.state as TenantMigrationState],
      ),
    );
    const stepRows = fresh.filter((r) => r.step === step);
    const hasRow = new Set(stepRows.map((r) => r.tenantId));
    const inFlight = new Set(stepRows.filter((r) => IN_FLIGHT.includes(r.state)).map((r) => r.tenantId));
    const ready = members.filter((m) => !hasRow.has(m.tenantId) && definition.from.includes(states.get(m.tenantId) as TenantMigrationState));
    const batchOfTenant = new Map(members.map((m) => [m.tenantId, m.batch]));
    const batches = [...ready.map((m) => m.batch), ...[...inFlight].map((id) => batchOfTenant.get(id) ?? 0)];
    if (batches.length === 0) {
      // Nothing left to run for this step: the wave waits for the next one.
      await db.$transaction(async (tx) => {
        const updated = await tx.migrationWave.updateMany({
          where: { id: wave.id, state: "running", currentStep: step },
          data: { state: "waiting", currentStep: null },
        });
        if (updated.count === 1) {
          const done = stepRows.filter((r) => r.state === "succeeded").length;
          const failed = stepRows.filter((r) => r.state === "failed").length;
          await recordAuditEvent(tx, {
            actor: { name: "wave driver" },
            action: "migration.wave-step-end",
            targetKind: "wave",
            targetId: wave.id,
            details: { name: wave.name, step, succeeded: done, failed },
          });
        }
      });
      current = await db.migrationWave.findUniqueOrThrow({ where: { id: wave.id } });
      return this.checkExit(current);
    }
    // Batch by batch: the lowest batch with work; the next batch starts once this one has no run in flight.
    const batch = Math.min(...batches);
    const pendingOfStep = pendingRows.filter((r) => r.step === step && batchOfTenant.get(r.tenantId) === batch);
    for (const row of pendingOfStep) {
      if (slots <= 0) return;
      await this.launch(current, row, user!);
      slots -= 1;
    }
    for (const member of ready.filter((m) => m.batch === batch)) {
      if (slots <= 0) return;
      const row = await this.reserve(current, member.tenantId, step);
      if (!row) continue;
      if (!user) {
        await this.pause(current, `${current.runByEmail ?? "The operator"} can no longer run runbooks. Resume the wave as an operator.`);
        return;
      }
      await this.launch(current, row, user);
      slots -= 1;
    }
  }

  /** Claims (waveId, tenant, step, attempt 1): the unique key makes it one row across processes. */
  private async reserve(wave: WaveRow, tenantId: string, step: WaveStep): Promise<WaveRunRow | undefined> {
    try {
      return await this.options.db.migrationWaveRun.create({
        data: {
          waveId: wave.id,
          tenantId,
          step,
          attempt: 1,
          runbookId: WAVE_STEP_DEFINITIONS[step].request().runbookId,
          idempotencyKey: waveRunKey(wave.id, step, tenantId, 1),
        },
      });
    } catch (error) {
      if ((error as { code?: string }).code === "P2002") return undefined;
      throw error;
    }
  }

  /** Asks the engine for the run (preview + confirm, or the run this key started before). */
  private async launch(wave: WaveRow, row: WaveRunRow, user: Actor): Promise<void> {
    const definition = WAVE_STEP_DEFINITIONS[row.step as WaveStep];
    const request = definition.request(row.step === "rollback" ? (row.message ?? undefined) : undefined);
    let outcome: Awaited<ReturnType<WaveRunbooks["request"]>>;
    try {
      outcome = await this.options.runbooks.request(user, { tenantId: row.tenantId, ...request } as RunbookRequest & { tenantId: string }, row.idempotencyKey);
    } catch (error) {
      const patient = this.now().getTime() - row.createdAt.getTime() < (this.options.launchPatienceMs ?? 120_000);
      if (error instanceof AppError && error.code === "CONFLICT" && patient) return; // the tenant is busy: try again next tick
      await this.fail(row, error instanceof AppError ? error.userMessage : `The run could not be started: ${(error as Error).message}`);
      return;
    }
    if (outcome.refused !== undefined) {
      await this.fail(row, outcome.refused);
      return;
    }
    await this.options.db.migrationWaveRun.update({ where: { id: row.id }, data: { runId: outcome.run.id, state: "running" } });
    if (isTerminal(outcome.run)) await this.settle(wave, { ...row, runId: outcome.run.id, state: "running" }, outcome.run);
  }

  private async fail(row: WaveRunRow, message: string): Promise<void> {
    await this.options.db.migrationWaveRun.updateMany({
      where: { id: row.id, state: { in: IN_FLIGHT } },
      data: { state: "failed", message, endedAt: this.now() },
    });
  }

  /** A run ended: record it, and on success move the tenant (compare-and-set on the state it started from). */
  private async settle(wave: WaveRow, row: WaveRunRow, view: RunView): Promise<void> {
    const definition = WAVE_STEP_DEFINITIONS[row.step as WaveStep];
    const ok = view.state === "succeeded";
    // A run a stopped portal left half-done is not the tenant's failure: it does not spend the
    // budget, and the board offers a retry once someone has looked at the tenant.
    const outcome = ok ? "succeeded" : view.state === "interrupted" ? "interrupted" : "failed";
    let moved = false;
    await this.options.db.$transaction(async (tx) => {
      const claimed = await tx.migrationWaveRun.updateMany({
        where: { id: row.id, state: "running" },
        data: { state: outcome, endedAt: this.now(), message: ok ? null : (view.message ?? `The run ended ${view.state}.`) },
      });
      if (claimed.count !== 1 || !ok) return;
      const current = await tx.tenantMigration.findUnique({ where: { tenantId: row.tenantId }, select: { state: true } });
      if (!current || !definition.from.includes(current.state as TenantMigrationState)) return; // moved on meanwhile (a person rolled it back)
      await transitionTenant(tx, {
        tenantId: row.tenantId,
        to: definition.to,
        via: "wave",
        actor: wave.runById && wave.runByEmail ? { user: { id: wave.runById, email: wave.runByEmail } } : { name: "wave driver" },
        waveId: wave.id,
        runId: view.id,
        expectFrom: current.state as TenantMigrationState,
        ...(row.step === "rollback" ? { reason: row.message ?? "Rolled back from the wave." } : {}),
      });
      moved = true;
    });
    if (moved) this.options.onStatesChanged?.([row.tenantId]);
  }

  private async pause(wave: WaveRow, reason: string): Promise<void> {
    await this.options.db.$transaction(async (tx) => {
      const updated = await tx.migrationWave.updateMany({ where: { id: wave.id, state: "running" }, data: { state: "paused", pausedReason: reason } });
      if (updated.count === 1) {
        await recordAuditEvent(tx, {
          actor: { name: "wave driver" },
          action: "migration.wave-pause",
          targetKind: "wave",
          targetId: wave.id,
          details: { name: wave.name, reason },
        });
      }
    });
  }

  private async checkExit(wave: WaveRow): Promise<void> {
    if (wave.state !== "waiting") return;
    const gate = await this.options.waves.exitGateOf(wave);
    if (!gate.passed) return;
    await this.options.db.$transaction(async (tx) => {
      const updated = await tx.migrationWave.updateMany({ where: { id: wave.id, state: "waiting" }, data: { state: "completed", completedAt: this.now() } });
      if (updated.count === 1) {
        await recordAuditEvent(tx, {
          actor: { name: "wave driver" },
          action: "migration.wave-complete",
          targetKind: "wave",
          targetId: wave.id,
          details: { name: wave.name, exitGate: gate.summary },
        });
      }
    });
  }
}

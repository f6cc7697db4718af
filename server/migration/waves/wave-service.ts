import "server-only";

import {
  type WaveAction,
  type WaveBatchStep,
  type WaveBoardView,
  type WaveRunView,
  type WaveSelectionPreview,
  type WaveState,
  type WaveStep,
  type WaveSummaryView,
  type WaveTenantView,
  WAVE_ATTESTED_STEPS,
  WAVE_STEP_LABELS,
} from "@/lib/migration/waves";
import { waveSelectionSchema, type WaveCreate, type WaveSelection } from "@/lib/migration/wave-schemas";
import { TENANT_MIGRATION_STATE_LABELS, type TenantMigrationState, type TenantMigrationStateOrNative } from "@/lib/migration/tenant-states";
import type { TenantSummary } from "@/lib/tenants/types";
import { recordAuditEvent, type AuditSource } from "@/server/audit/audit-log";
import type { Prisma, PrismaClient } from "@/server/db/generated/client";
import { AppError } from "@/server/errors/app-error";
import { transitionTenants, type BulkTransitionResult } from "@/server/migration/tenant-migration";
import { batchOf, selectWaveTenants, tenantSize, type SelectionCandidate } from "./wave-selection";
import { VERIFIED_OR_LATER, WAVE_STEP_DEFINITIONS, waveRunKey } from "./wave-steps";

type Db = PrismaClient | Prisma.TransactionClient;
type WaveRow = Prisma.MigrationWaveGetPayload<object>;
type WaveRunRow = Prisma.MigrationWaveRunGetPayload<object>;

export interface WaveUser {
  id: string;
  email: string;
}

/** What the waves read about the fleet: the tenant directory's summaries and each tenant's size. */
export interface WaveFleet {
  summaries(): readonly TenantSummary[];
  summary(tenantId: string): TenantSummary | undefined;
  /** The tenant's largest volume request in bytes, if the cache knows its claims. */
  largestVolumeBytes(tenantId: string): number | undefined;
}

export interface WaveServiceOptions {
  db: PrismaClient;
  fleet: WaveFleet;
  /** Told after tenants' migration states changed, so in-memory views refresh. */
  onStatesChanged?(tenantIds: readonly string[]): void;
  now?(): Date;
}

const OPEN_WAVE_STATES: WaveState[] = ["draft", "running", "waiting", "paused"];

function iso(date: Date | null | undefined): string | undefined {
  return date ? date.toISOString() : undefined;
}

/** The newest run of each tenant (highest attempt, newest step) among `runs`. */
export function newestRunByTenant(runs: readonly WaveRunRow[]): Map<string, WaveRunRow> {
  const newest = new Map<string, WaveRunRow>();
  for (const run of runs) {
    const current = newest.get(run.tenantId);
    if (!current || run.createdAt > current.createdAt || (run.createdAt.getTime() === current.createdAt.getTime() && run.attempt > current.attempt)) {
      newest.set(run.tenantId, run);
    }
  }
  return newest;
}

function runView(run: WaveRunRow): WaveRunView {
  return {
    step: run.step as WaveStep,
    attempt: run.attempt,
    state: run.state as WaveRunView["state"],
    ...(run.runId ? { runId: run.runId } : {}),
    ...(run.message ? { message: run.message } : {}),
  };
}

/** Failed runs that count against the budget now (those before a resume are forgiven). */
export function countedFailures(wave: Pick<WaveRow, "budgetResetAt">, runs: readonly Pick<WaveRunRow, "state" | "endedAt">[]): number {
  return runs.filter((run) => run.state === "failed" && (!wave.budgetResetAt || (run.endedAt ?? new Date(0)) > wave.budgetResetAt)).length;
}

export interface ExitGateInput {
  exitGateHours: number;
  tenants: { state: TenantMigrationStateOrNative; verifiedAt?: Date; healthy: boolean }[];
  now: Date;
}

/** The exit gate: every tenant of the wave verified (or further), healthy, and for exitGateHours since. */
export function exitGate(input: ExitGateInput): { passed: boolean; summary: string } {
  const active = input.tenants.filter((tenant) => tenant.state !== "rolled-back" && tenant.state !== "on-swarm");
  if (active.length === 0) return { passed: false, summary: "No tenant of this wave is migrating." };
  const notVerified = active.filter((tenant) => !VERIFIED_OR_LATER.has(tenant.state)).length;
  if (notVerified > 0) return { passed: false, summary: `${notVerified} of ${active.length} tenants are not verified yet.` };
  const unhealthy = active.filter((tenant) => !tenant.healthy).length;
  if (unhealthy > 0) return { passed: false, summary: `${unhealthy} of ${active.length} verified tenants are not healthy now.` };
  const holdMs = input.exitGateHours * 3_600_000;
  const lastVerified = Math.max(...active.map((tenant) => tenant.verifiedAt?.getTime() ?? input.now.getTime()));
  const remainingMs = lastVerified + holdMs - input.now.getTime();
  if (remainingMs > 0) {
    const hours = Math.ceil(remainingMs / 3_600_000);
    return { passed: false, summary: `Every tenant is verified and healthy; the exit gate holds for ${hours} more hour${hours === 1 ? "" : "s"}.` };
  }
  return {
    passed: true,
    summary:
      input.exitGateHours > 0
        ? `Every tenant verified and healthy for ${input.exitGateHours} hour${input.exitGateHours === 1 ? "" : "s"}.`
        : "Every tenant verified and healthy.",
  };
}

/**
 * Waves as PMs and operators see and steer them. The driver (wave-driver.ts) does the work of a
 * running step; this module creates waves, changes their state on a person's request and builds
 * the views. Every change is audited in its own transaction.
 */
export class WaveService {
  constructor(private readonly options: WaveServiceOptions) {}

  private get db(): PrismaClient {
    return this.options.db;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private async candidates(): Promise<SelectionCandidate[]> {
    const [states, memberships] = await Promise.all([
      this.db.tenantMigration.findMany({ select: { tenantId: true, state: true } }),
      this.db.migrationWaveTenant.findMany({
        where: { wave: { state: { in: OPEN_WAVE_STATES } } },
        select: { tenantId: true, wave: { select: { name: true } } },
      }),
    ]);
    const stateOf = new Map(states.map((row) => [row.tenantId, row.state as TenantMigrationState]));
    const waveOf = new Map(memberships.map((row) => [row.tenantId, row.wave.name]));
    return this.options.fleet.summaries().map((record) => ({
      record,
      state: stateOf.get(record.id) ?? "native",
      ...(waveOf.has(record.id) ? { openWaveName: waveOf.get(record.id) } : {}),
      size: tenantSize(this.options.fleet.largestVolumeBytes(record.id)),
    }));
  }

  /** Which tenants a selection would take, before the wave exists. */
  async previewSelection(selection: WaveSelection): Promise<WaveSelectionPreview> {
    const [{ preview }, completed] = await Promise.all([
      this.candidates().then((candidates) => selectWaveTenants(candidates, selection)),
      this.db.migrationWave.count({ where: { state: "completed" } }),
    ]);
    return { ...preview, canaryFirst: completed === 0 };
  }

  /** Creates the wave and schedules its tenants (on Swarm → scheduled), in batches of batchSize. */
  async create(user: WaveUser, input: WaveCreate, source: AuditSource = {}): Promise<WaveSummaryView> {
    const { tenantIds } = selectWaveTenants(await this.candidates(), input.selection);
    if (tenantIds.length === 0) {
      throw new AppError("UNPROCESSABLE", {
        message: "wave selection matches no eligible tenant",
        userMessage: "No tenant that is still on Swarm matches this selection. Widen the filters or pick tenants by hand.",
      });
    }
    const existing = await this.db.migrationWave.findUnique({ where: { name: input.name }, select: { id: true } });
    if (existing)
      throw new AppError("CONFLICT", {
        message: `wave ${input.name} exists`,
        userMessage: `A wave named “${input.name}” exists already. Choose another name.`,
      });
    const wave = await this.db.$transaction(
      async (tx) => {
        const created = await tx.migrationWave.create({
          data: {
            name: input.name,
            description: input.description,
            selection: input.selection as Prisma.InputJsonValue,
            windowStart: input.windowStart ? new Date(input.windowStart) : null,
            windowEnd: input.windowEnd ? new Date(input.windowEnd) : null,
            batchSize: input.batchSize,
            concurrency: input.concurrency,
            failureBudget: input.failureBudget,
            exitGateHours: input.exitGateHours,
            createdById: user.id,
            createdByEmail: user.email,
          },
        });
        await tx.migrationWaveTenant.createMany({
          data: tenantIds.map((tenantId, position) => ({ waveId: created.id, tenantId, position, batch: batchOf(position, input.batchSize) })),
        });
        const scheduled = await transitionTenants(tx, {
          tenantIds,
          to: "scheduled",
          via: "person",
          actor: { user },
          waveId: created.id,
          source,
          audit: {
            action: "migration.wave-create",
            targetKind: "wave",
            targetId: created.id,
            details: { name: input.name, tenants: tenantIds.length, batchSize: input.batchSize, concurrency: input.concurrency },
          },
        });
        if (scheduled.refused.length > 0) {
          throw new AppError("CONFLICT", {
            message: `${scheduled.refused.length} tenants could not be scheduled`,
            userMessage: "Some tenants' migration moved on while the wave was created. Try again.",
          });
        }
        return created;
      },
      { timeout: 60_000 },
    );
    this.options.onStatesChanged?.(tenantIds);
    return (await this.summaries([wave.id]))[0];
  }

  private async summaries(ids?: string[]): Promise<WaveSummaryView[]> {
    const waves = await this.db.migrationWave.findMany({
      where: ids ? { id: { in: ids } } : {},
      orderBy: [{ createdAt: "desc" }],
      include: { _count: { select: { tenants: true } } },
    });
    if (waves.length === 0) return [];
    const waveIds = waves.map((wave) => wave.id);
    const [verified, failedRuns] = await Promise.all([
      this.db.tenantMigration.groupBy({ by: ["waveId"], where: { waveId: { in: waveIds }, state: { in: [...VERIFIED_OR_LATER] } }, _count: true }),
      this.db.migrationWaveRun.findMany({ where: { waveId: { in: waveIds }, state: "failed" }, select: { waveId: true, state: true, endedAt: true } }),
    ]);
    const verifiedOf = new Map(verified.map((row) => [row.waveId, row._count]));
    return waves.map((wave) => ({
      id: wave.id,
      name: wave.name,
      description: wave.description,
      state: wave.state as WaveState,
      ...(wave.pausedReason ? { pausedReason: wave.pausedReason } : {}),
      ...(wave.currentStep ? { currentStep: wave.currentStep as WaveBatchStep } : {}),
      tenantCount: wave._count.tenants,
      verifiedCount: verifiedOf.get(wave.id) ?? 0,
      failedRuns: countedFailures(
        wave,
        failedRuns.filter((run) => run.waveId === wave.id),
      ),
      failureBudget: wave.failureBudget,
      batchSize: wave.batchSize,
      concurrency: wave.concurrency,
      exitGateHours: wave.exitGateHours,
      ...(wave.windowStart ? { windowStart: iso(wave.windowStart) } : {}),
      ...(wave.windowEnd ? { windowEnd: iso(wave.windowEnd) } : {}),
      createdByEmail: wave.createdByEmail,
      createdAt: wave.createdAt.toISOString(),
      ...(wave.startedAt ? { startedAt: iso(wave.startedAt) } : {}),
      ...(wave.completedAt ? { completedAt: iso(wave.completedAt) } : {}),
    }));
  }

  list(): Promise<WaveSummaryView[]> {
    return this.summaries();
  }

  private async wave(waveId: string): Promise<WaveRow> {
    const wave = await this.db.migrationWave.findUnique({ where: { id: waveId } });
    if (!wave)
      throw new AppError("NOT_FOUND", {
        message: `wave ${waveId} not found`,
        userMessage: "There is no such wave. It may have been removed; go back to the waves.",
      });
    return wave;
  }

  /** The wave board: every tenant with its migration state, health and newest run. */
  async board(waveId: string): Promise<WaveBoardView> {
    const wave = await this.wave(waveId);
    const [summary] = await this.summaries([waveId]);
    const members = await this.db.migrationWaveTenant.findMany({ where: { waveId }, orderBy: { position: "asc" } });
    const [states, runs] = await Promise.all([
      this.db.tenantMigration.findMany({ where: { tenantId: { in: members.map((m) => m.tenantId) } }, select: { tenantId: true, state: true } }),
      this.db.migrationWaveRun.findMany({ where: { waveId } }),
    ]);
    const stateOf = new Map(states.map((row) => [row.tenantId, row.state as TenantMigrationState]));
    const newest = newestRunByTenant(runs);
    const tenants: WaveTenantView[] = members.map((member) => {
      const tenant = this.options.fleet.summary(member.tenantId);
      const run = newest.get(member.tenantId);
      return {
        tenantId: member.tenantId,
        name: tenant?.name ?? member.tenantId,
        databaseName: tenant?.databaseName ?? "",
        instanceType: tenant?.instanceType ?? "",
        batch: member.batch,
        state: stateOf.get(member.tenantId) ?? "native",
        health: tenant?.health ?? "unknown",
        ...(run ? { run: runView(run) } : {}),
      };
    });
    return {
      ...summary,
      selection: waveSelectionSchema.parse(wave.selection ?? {}),
      ...(wave.runByEmail ? { runByEmail: wave.runByEmail } : {}),
      tenants,
      exitGate: await this.exitGateOf(wave),
    };
  }

  private async memberIds(waveId: string): Promise<string[]> {
    return (await this.db.migrationWaveTenant.findMany({ where: { waveId }, select: { tenantId: true } })).map((row) => row.tenantId);
  }

  /** What the exit gate says about the wave now. */
  async exitGateOf(wave: Pick<WaveRow, "id" | "exitGateHours">): Promise<{ passed: boolean; summary: string }> {
    const tenantIds = await this.memberIds(wave.id);
    const [states, verifiedEvents] = await Promise.all([
      this.db.tenantMigration.findMany({ where: { tenantId: { in: tenantIds } }, select: { tenantId: true, state: true } }),
      this.db.tenantMigrationEvent.groupBy({ by: ["tenantId"], where: { tenantId: { in: tenantIds }, toState: "verified" }, _max: { at: true } }),
    ]);
    const stateOf = new Map(states.map((row) => [row.tenantId, row.state as TenantMigrationState]));
    const verifiedAt = new Map(verifiedEvents.map((row) => [row.tenantId, row._max.at ?? undefined]));
    return exitGate({
      exitGateHours: wave.exitGateHours,
      now: this.now(),
      tenants: tenantIds.map((tenantId) => ({
        state: stateOf.get(tenantId) ?? "native",
        verifiedAt: verifiedAt.get(tenantId),
        healthy: this.options.fleet.summary(tenantId)?.health === "healthy",
      })),
    });
  }

  /** A person steers the wave: run a step, pause, resume, cancel, retry the failed runs. */
  async act(user: WaveUser, waveId: string, action: WaveAction, source: AuditSource = {}): Promise<WaveSummaryView> {
    const wave = await this.wave(waveId);
    const state = wave.state as WaveState;
    const refuse = (userMessage: string): never => {
      throw new AppError("CONFLICT", { message: `wave ${waveId}: ${action} refused in ${state}`, userMessage });
    };
    const now = this.now();
    let data: Prisma.MigrationWaveUpdateInput;
    let retried = 0;
    switch (action) {
      case "start":
      case "verify": {
        if (state !== "draft" && state !== "waiting") {
          refuse(
            state === "running"
              ? `The wave is running “${WAVE_STEP_LABELS[wave.currentStep as WaveStep] ?? wave.currentStep}” now. Wait for it to end.`
              : `A ${state} wave runs no step. ${state === "paused" ? "Resume it first." : ""}`.trim(),
          );
        }
        const from = WAVE_STEP_DEFINITIONS[action].from;
        const ready = await this.db.tenantMigration.count({ where: { waveId, state: { in: [...from] } } });
        if (ready === 0) {
          refuse(`No tenant of this wave is in “${TENANT_MIGRATION_STATE_LABELS[from[0]]}” yet. Record the earlier steps first.`);
        }
        data = { state: "running", currentStep: action, runById: user.id, runByEmail: user.email, startedAt: wave.startedAt ?? now, pausedReason: null };
        break;
      }
      case "pause":
        if (state !== "running" && state !== "waiting") refuse("Only a running or waiting wave can be paused.");
        data = { state: "paused", pausedReason: `Paused by ${user.email}.` };
        break;
      case "resume":
        if (state !== "paused") refuse("Only a paused wave can be resumed.");
        // Failures so far are forgiven: the budget counts again from here.
        data = { state: wave.currentStep ? "running" : "waiting", pausedReason: null, budgetResetAt: now, runById: user.id, runByEmail: user.email };
        break;
      case "cancel":
        if (state === "completed" || state === "cancelled") refuse(`The wave is ${state} already.`);
        data = { state: "cancelled", currentStep: null, pausedReason: null };
        break;
      case "retry-failed": {
        if (state === "completed" || state === "cancelled" || state === "running")
          refuse(state === "running" ? "The wave is running a step now; retry when it ends." : `The wave is ${state}.`);
        const runs = await this.db.migrationWaveRun.findMany({ where: { waveId, step: { in: ["start", "verify"] } } });
        const newest = newestRunByTenant(runs);
        const states = new Map(
          (await this.db.tenantMigration.findMany({ where: { waveId }, select: { tenantId: true, state: true } })).map((row) => [row.tenantId, row.state]),
        );
        const retries = [...newest.values()].filter(
          (run) =>
            (run.state === "failed" || run.state === "interrupted") &&
            WAVE_STEP_DEFINITIONS[run.step as WaveBatchStep].from.includes(states.get(run.tenantId) as TenantMigrationState),
        );
        if (retries.length === 0) refuse("No failed run of this wave can be retried (its tenants moved on or were rolled back).");
        const step = retries[0].step as WaveBatchStep;
        const sameStep = retries.filter((run) => run.step === step);
        await this.db.migrationWaveRun.createMany({
          data: sameStep.map((run) => ({
            waveId,
            tenantId: run.tenantId,
            step,
            attempt: run.attempt + 1,
            runbookId: run.runbookId,
            idempotencyKey: waveRunKey(waveId, step, run.tenantId, run.attempt + 1),
          })),
          skipDuplicates: true,
        });
        retried = sameStep.length;
        data = { state: "running", currentStep: step, runById: user.id, runByEmail: user.email, pausedReason: null, budgetResetAt: now };
        break;
      }
    }
    await this.db.$transaction(async (tx) => {
      // The state in the filter is the compare-and-set against a concurrent action or the driver.
      const updated = await tx.migrationWave.updateMany({ where: { id: waveId, state }, data: data as Prisma.MigrationWaveUpdateManyMutationInput });
      if (updated.count !== 1) refuse("The wave changed meanwhile. Reload and try again.");
      await recordAuditEvent(tx, {
        actor: { user },
        action: `migration.wave-${action}`,
        targetKind: "wave",
        targetId: waveId,
        details: { name: wave.name, from: state, ...(retried ? { retried } : {}) },
        source,
      });
    });
    return (await this.summaries([waveId]))[0];
  }

  /** A PM records an attested step (backed up, stopped on Swarm, data restored, DNS switched, done) for every ready tenant of the wave. */
  async attest(
    user: WaveUser,
    input: { waveId: string; to: (typeof WAVE_ATTESTED_STEPS)[number]; evidence?: string },
    source: AuditSource = {},
  ): Promise<BulkTransitionResult> {
    const wave = await this.wave(input.waveId);
    if (wave.state === "cancelled") throw new AppError("CONFLICT", { message: "attest on cancelled wave", userMessage: "The wave is cancelled." });
    const tenantIds = await this.memberIds(input.waveId);
    const result = await this.db.$transaction(
      (tx) =>
        transitionTenants(tx, {
          tenantIds,
          to: input.to,
          via: "person",
          actor: { user },
          waveId: input.waveId,
          evidence: input.evidence,
          source,
          audit: { action: "migration.wave-attest", targetKind: "wave", targetId: input.waveId, details: { name: wave.name } },
        }),
      { timeout: 60_000 },
    );
    if (result.moved.length === 0) {
      throw new AppError("UNPROCESSABLE", {
        message: `no tenant of wave ${input.waveId} can move to ${input.to}`,
        userMessage: `No tenant of this wave is ready for “${TENANT_MIGRATION_STATE_LABELS[input.to]}”. ${result.refused[0]?.reason ?? ""}`.trim(),
      });
    }
    this.options.onStatesChanged?.(result.moved);
    return result;
  }

  /** An operator rolls one tenant back: a stop-instance run when it runs on Kubernetes, then "rolled back". */
  async rollback(user: WaveUser, input: { waveId: string; tenantId: string; reason: string }, source: AuditSource = {}): Promise<void> {
    const wave = await this.wave(input.waveId);
    const member = await this.db.migrationWaveTenant.findUnique({ where: { waveId_tenantId: { waveId: input.waveId, tenantId: input.tenantId } } });
    if (!member) throw new AppError("NOT_FOUND", { message: "tenant not in wave", userMessage: "That tenant is not part of this wave." });
    const row = await this.db.tenantMigration.findUnique({ where: { tenantId: input.tenantId } });
    const state = (row?.state ?? "native") as TenantMigrationStateOrNative;
    const definition = WAVE_STEP_DEFINITIONS.rollback;
    if (!definition.from.includes(state as TenantMigrationState)) {
      // Nothing runs on Kubernetes yet: the rollback is a record, no cluster change.
      await this.db.$transaction((tx) =>
        transitionTenants(tx, {
          tenantIds: [input.tenantId],
          to: "rolled-back",
          via: "person",
          actor: { user },
          waveId: input.waveId,
          reason: input.reason,
          source,
          audit: { action: "migration.wave-rollback", targetKind: "tenant", targetId: input.tenantId, details: { wave: wave.name, from: state } },
        }).then((result) => {
          if (result.refused.length > 0) throw new AppError("UNPROCESSABLE", { message: "rollback refused", userMessage: result.refused[0].reason });
        }),
      );
      this.options.onStatesChanged?.([input.tenantId]);
      return;
    }
    const previous = await this.db.migrationWaveRun.findFirst({
      where: { waveId: input.waveId, tenantId: input.tenantId, step: "rollback" },
      orderBy: { attempt: "desc" },
    });
    if (previous && (previous.state === "pending" || previous.state === "running")) {
      throw new AppError("CONFLICT", { message: "rollback in flight", userMessage: "A rollback of this tenant is running already." });
    }
    const attempt = (previous?.attempt ?? 0) + 1;
    await this.db.$transaction(async (tx) => {
      await tx.migrationWaveRun.create({
        data: {
          waveId: input.waveId,
          tenantId: input.tenantId,
          step: "rollback",
          attempt,
          runbookId: "stop-instance",
          idempotencyKey: waveRunKey(input.waveId, "rollback", input.tenantId, attempt),
          message: input.reason,
        },
      });
      // The driver runs it with this person's permission, like a step.
      await tx.migrationWave.update({ where: { id: input.waveId }, data: { runById: user.id, runByEmail: user.email } });
      await recordAuditEvent(tx, {
        actor: { user },
        action: "migration.wave-rollback",
        targetKind: "tenant",
        targetId: input.tenantId,
        details: { wave: wave.name, from: state, reason: input.reason },
        source,
      });
    });
  }

  /** Tenants migrated over time: per day, how many tenants reached "verified" (or further) and how many the waves plan. */
  async progress(): Promise<{ day: string; migrated: number; planned: number }[]> {
    const [events, waves] = await Promise.all([
      this.db.tenantMigrationEvent.findMany({ where: { toState: "verified" }, select: { tenantId: true, at: true }, orderBy: { at: "asc" } }),
      this.db.migrationWave.findMany({
        where: { state: { not: "cancelled" } },
        select: { windowEnd: true, createdAt: true, _count: { select: { tenants: true } } },
      }),
    ]);
    const firstVerified = new Map<string, Date>();
    for (const event of events) if (!firstVerified.has(event.tenantId)) firstVerified.set(event.tenantId, event.at);
    const day = (date: Date) => date.toISOString().slice(0, 10);
    const days = new Set<string>([...firstVerified.values()].map(day));
    for (const wave of waves) days.add(day(wave.windowEnd ?? wave.createdAt));
    days.add(day(this.now()));
    const sorted = [...days].sort();
    return sorted.map((d) => ({
      day: d,
      migrated: [...firstVerified.values()].filter((at) => day(at) <= d).length,
      planned: waves.filter((wave) => day(wave.windowEnd ?? wave.createdAt) <= d).reduce((sum, wave) => sum + wave._count.tenants, 0),
    }));
  }
}

export type { Db as WaveDb };

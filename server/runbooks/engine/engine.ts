import "server-only";

import { createHash } from "node:crypto";
import { hostname } from "node:os";

import { can } from "@/lib/auth/permissions";
import type { RunbookId } from "@/lib/runbooks/runbook-inputs";
import { RUNBOOK_INPUT_SCHEMAS } from "@/lib/runbooks/runbook-inputs";
import {
  TERMINAL_RUN_STATES,
  type RunbookActionView,
  type RunbookPreviewView,
  type RunListResult,
  type RunState,
  type RunView,
} from "@/lib/runbooks/run-views";
import type { RunListInput } from "@/lib/runbooks/run-list-schema";
import type { RunbookRequest } from "@/lib/runbooks/runbook-inputs";
import { recordAuditEvent, type AuditSource } from "@/server/audit/audit-log";
import type { SessionUser } from "@/server/auth/session";
import type { Prisma, PrismaClient } from "@/server/db/generated/client";
import { AppError } from "@/server/errors/app-error";
import type { ClusterSource } from "@/server/kube/cluster-source";
import { toKubeError } from "@/server/kube/kube-error";
import type { KubeMutation, MutationOutcome } from "@/server/kube/mutations";
import type { TenantRecord } from "@/lib/tenants/types";
import { instanceObjects } from "@/server/tenants/tenant-view";
import { isMutatingRunbook, RUNBOOKS, type MutatingRunbookId } from "../index";
import type { RunbookContext, RunbookDefinition, RunbookSettings, SentPlan, VerificationResult } from "../runbook";
import { canonicalJson, changeView, kubeRefusal, planHashOf, previewPlan } from "./preview";
import { acquireLease, leaseHolderRun, releaseLease, renewLease, RUN_WITH_STEPS, runView, updateStep, type Db, type RunRow } from "./run-records";

/**
 * The runbook engine: every runbook runs the same way. Preview (preconditions over the cache, the
 * plan sent with dryRun=All, stored as a "planned" row) → confirmation (the plan hash, an
 * Idempotency-Key, the per-tenant lease, an approval for high-risk runs, audited in the same
 * transaction) → the mutations, each marked "running" in the database before it is sent → the
 * verification over the watch cache → the outcome, audited. A restart never re-sends: runs whose
 * lease expired are resumed from the database (verification) or marked interrupted.
 */

export interface RunbookEngineOptions {
  db: PrismaClient;
  /** The registry record of a tenant, or undefined; resolves once the directory is ready. */
  tenantRecord(tenantId: string): Promise<TenantRecord | undefined>;
  clusterFor(record: TenantRecord): ClusterSource;
  settings: RunbookSettings;
  /** How long a lease lives without a heartbeat (default 60 s; renewed every third of it). */
  leaseMs?: number;
  /** How often expired runs are looked for (default 15 s); 0 disables the sweep (tests call recover()). */
  sweepIntervalMs?: number;
  /** How long a preview may be confirmed (default 15 min). */
  previewTtlMs?: number;
  approvalTtlMs?: number;
  /** How often verification looks even without a cache change (default 1 s). */
  verifyPollMs?: number;
  /** How often watchers poll the database (default 750 ms). */
  watchPollMs?: number;
  holder?: string;
}

type Actor = Pick<SessionUser, "id" | "email" | "role">;

/** One tenant of a selection, as `assess` sees it: would its run start now, and how risky is it. */
export interface RunAssessment {
  tenantId: string;
  ok: boolean;
  reason?: string;
  risk: "low" | "high";
}

/** How far back watchRuns looks past the newest change it saw, for changes another process committed late. */
export const RUN_CHANGE_LOOKBACK_MS = 5_000;

const SECOND_PERSON = "A second person with the runbook:approve permission (an admin) must approve it.";

function hhmm(date: Date | null | undefined): string {
  return date ? `${date.toISOString().slice(11, 16)} UTC` : "just now";
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

export class RunbookEngine {
  private readonly options: Required<Omit<RunbookEngineOptions, "tenantRecord" | "clusterFor" | "settings" | "db">> & RunbookEngineOptions;
  private readonly executing = new Map<string, AbortController>();
  private readonly heartbeats = new Set<ReturnType<typeof setInterval>>();
  private sweepTimer: ReturnType<typeof setInterval> | undefined;
  private disposed = false;

  constructor(options: RunbookEngineOptions) {
    this.options = {
      leaseMs: 60_000,
      sweepIntervalMs: 15_000,
      previewTtlMs: 15 * 60_000,
      approvalTtlMs: 30 * 60_000,
      verifyPollMs: 1_000,
      watchPollMs: 750,
      holder: `${hostname()}:${process.pid}`,
      ...options,
    };
  }

  private get db(): PrismaClient {
    return this.options.db;
  }

  /** Starts the sweep that resumes or closes runs left by a stopped process. */
  start(): void {
    if (this.sweepTimer || this.options.sweepIntervalMs === 0) return;
    const sweep = () => void this.recover().catch((error) => console.warn(`[runbooks] recovery sweep failed: ${(error as Error).message}`));
    sweep();
    this.sweepTimer = setInterval(sweep, this.options.sweepIntervalMs);
    this.sweepTimer.unref?.();
  }

  /** Stops executing here without finishing anything (as a process exit would): leases lapse. */
  dispose(): void {
    this.disposed = true;
    clearInterval(this.sweepTimer);
    for (const abort of this.executing.values()) abort.abort();
    this.executing.clear();
    // A request in flight may never settle; its lease must lapse all the same.
    for (const heartbeat of this.heartbeats) clearInterval(heartbeat);
    this.heartbeats.clear();
  }

  /**
   * For a process that drains (SIGTERM): stops executing here as dispose() does, then hands the
   * verifications it was running back to the database at once. Their leases expire now, so another
   * replica's next sweep resumes them (verification only reads the cluster) instead of a full lease
   * later. A run still sending a mutation keeps its lease and lapses as at any stop, so the sweep
   * marks it interrupted and nothing is sent twice. Resolves to the number of runs handed back.
   */
  async handBack(): Promise<number> {
    const executing = [...this.executing.keys()];
    this.dispose();
    if (executing.length === 0) return 0;
    const verifying = await this.db.runbookRun.findMany({ where: { id: { in: executing }, state: "verifying" }, select: { id: true } });
    if (verifying.length === 0) return 0;
    const { count } = await this.db.tenantRunLease.updateMany({
      where: { runId: { in: verifying.map((run) => run.id) }, holder: this.options.holder },
      data: { expiresAt: new Date(0) },
    });
    return count;
  }

  // ---------------------------------------------------------------------------------- context

  private async context(tenantId: string, now = new Date()): Promise<{ context: RunbookContext; source: ClusterSource }> {
    const tenant = await this.options.tenantRecord(tenantId);
    if (!tenant)
      throw new AppError("NOT_FOUND", { message: `tenant ${tenantId} not in the registry`, userMessage: "No tenant with this id is in the registry." });
    const source = this.options.clusterFor(tenant);
    const namespace = instanceObjects(source, tenant).namespace;
    if (!namespace) {
      throw new AppError("CONFLICT", {
        message: `tenant ${tenant.databaseName} has no namespace in cluster ${tenant.cluster}`,
        userMessage: `Tenant ${tenant.name} has no namespace in the cluster yet, so no runbook can act on it.`,
      });
    }
    return { context: { tenant, namespace, cluster: source, now, settings: this.options.settings }, source };
  }

  private definition(runbookId: RunbookId): RunbookDefinition<unknown> {
    if (!isMutatingRunbook(runbookId)) {
      throw new AppError("BAD_REQUEST", { message: `${runbookId} is not a run`, userMessage: "Collecting diagnostics is a download, not a run." });
    }
    return RUNBOOKS[runbookId];
  }

  /** The runbook's own permission for this input (force-deletion needs more); a refusal is audited. */
  private async requirePermission(user: Actor, definition: RunbookDefinition<unknown>, input: unknown, source: AuditSource): Promise<void> {
    const permission = definition.permission(input);
    if (can(user.role, permission)) return;
    await recordAuditEvent(this.db, {
      actor: { user },
      action: "runbook.request",
      outcome: "denied",
      targetKind: "runbook",
      targetId: definition.id,
      details: { permission, role: user.role, input },
      source,
    });
    throw new AppError("FORBIDDEN", {
      message: `${user.email} (${user.role}) lacks ${permission} for ${definition.id}`,
      userMessage: permission === "runbook:force" ? "Only admins may force-delete a pod." : "Your role does not allow running this runbook.",
    });
  }

  // ---------------------------------------------------------------------------------- reads

  async actions(user: Actor, tenantId: string): Promise<RunbookActionView[]> {
    const { context } = await this.context(tenantId);
    const holder = await leaseHolderRun(this.db, tenantId);
    const busy = holder ? `${holder.requestedByEmail} is running ${holder.title} since ${hhmm(holder.startedAt)}.` : undefined;
    const views: RunbookActionView[] = Object.values(RUNBOOKS).map((definition) => {
      const targets = definition.targets?.(context);
      const input = definition.scope === "tenant" ? {} : undefined;
      const failing = input ? definition.preconditions(input, context).find((p) => !p.ok) : undefined;
      const permission = definition.permission(input ?? { force: false });
      const allowed = can(user.role, permission);
      const noTargets = targets !== undefined && targets.length === 0;
      const reason = !allowed
        ? "Your role does not allow running this runbook."
        : (busy ??
          (failing
            ? (failing.reason ?? failing.label)
            : noTargets
              ? definition.scope === "pod"
                ? "The instance has no pod."
                : "The instance has no volume."
              : undefined));
      return {
        runbookId: definition.id,
        title: definition.title,
        description: definition.description,
        scope: definition.scope,
        risk: input ? definition.risk(input, context) : "low",
        permission,
        available: reason === undefined,
        unavailableReason: reason,
        readOnly: false,
        targets,
      };
    });
    const diagnosticsAllowed = can(user.role, "runbook:run");
    views.push({
      runbookId: "collect-diagnostics",
      title: "Collect diagnostics",
      description:
        "Downloads a .tar.gz with the tenant's objects (never Secrets), events, a describe-like summary, current and previous logs, and volume usage.",
      scope: "tenant",
      risk: "low",
      permission: "runbook:run",
      available: diagnosticsAllowed,
      unavailableReason: diagnosticsAllowed ? undefined : "Your role does not allow collecting diagnostics.",
      readOnly: true,
    });
    return views;
  }

  async run(runId: string): Promise<RunView> {
    await this.expireApproval(runId);
    const row = await this.db.runbookRun.findUnique({ where: { id: runId }, include: RUN_WITH_STEPS });
    if (!row || row.state === "planned") throw new AppError("NOT_FOUND", { message: `run ${runId} not found`, userMessage: "No run with this id." });
    return runView(row);
  }

  async list(filters: RunListInput): Promise<RunListResult> {
    const where: Prisma.RunbookRunWhereInput = {
      state: filters.state ?? { not: "planned" },
      tenantId: filters.tenantId,
      runbookId: filters.runbookId,
      requestedByEmail: filters.requestedBy ? { contains: filters.requestedBy, mode: "insensitive" } : undefined,
      requestedAt:
        filters.from || filters.to ? { gte: filters.from ? new Date(filters.from) : undefined, lte: filters.to ? new Date(filters.to) : undefined } : undefined,
    };
    const cursor = decodeCursor(filters.cursor);
    const rows = await this.db.runbookRun.findMany({
      where: cursor ? { AND: [where, { OR: [{ requestedAt: { lt: cursor.at } }, { requestedAt: cursor.at, id: { lt: cursor.id } }] }] } : where,
      include: RUN_WITH_STEPS,
      orderBy: [{ requestedAt: "desc" }, { id: "desc" }],
      take: filters.limit + 1,
    });
    const page = rows.slice(0, filters.limit);
    const last = page[page.length - 1];
    return { runs: page.map(runView), nextCursor: rows.length > filters.limit && last ? encodeCursor(last.requestedAt, last.id) : undefined };
  }

  async tenantRuns(tenantId: string, limit: number): Promise<RunView[]> {
    const rows = await this.db.runbookRun.findMany({
      where: { tenantId, state: { not: "planned" } },
      include: RUN_WITH_STEPS,
      orderBy: [{ requestedAt: "desc" }, { id: "desc" }],
      take: limit,
    });
    return rows.map(runView);
  }

  /** The run now and on every change (its updatedAt), until it ended or `signal` aborts. */
  async *watchRun(runId: string, signal: AbortSignal): AsyncGenerator<RunView> {
    let last = "";
    while (!signal.aborted) {
      const view = await this.run(runId);
      const stamp = JSON.stringify([view.state, view.steps, view.message, view.approval, view.endedAt]);
      if (stamp !== last) {
        last = stamp;
        yield view;
      }
      if (TERMINAL_RUN_STATES.includes(view.state)) return;
      await sleep(this.options.watchPollMs, signal);
    }
  }

  /**
   * Every run that changed (any process), as { runId, tenantId }, until `signal` aborts. updatedAt
   * is stamped by the writing process before its transaction commits, so a change made on another
   * replica can become visible after a newer one (a later commit, a clock a little behind); a poll
   * for "newer than the newest seen" would skip it for good. Each poll therefore reads the changes
   * stamped in the last RUN_CHANGE_LOOKBACK_MS and reports each (run, updatedAt) once.
   */
  async *watchRuns(signal: AbortSignal): AsyncGenerator<{ runId: string; tenantId: string }> {
    const reported = new Map<string, number>();
    const recentChanges = async () => {
      const rows = await this.db.runbookRun.findMany({
        where: { updatedAt: { gt: new Date(Date.now() - RUN_CHANGE_LOOKBACK_MS) }, state: { not: "planned" } },
        select: { id: true, tenantId: true, updatedAt: true },
        // Newest first, so a burst past the limit cuts the changes most likely reported already.
        orderBy: { updatedAt: "desc" },
        take: 1_000,
      });
      return rows.reverse().map((row) => ({ ...row, key: `${row.id}@${row.updatedAt.getTime()}` }));
    };
    // The first poll also reports changes from just before the subscription: a refetch too many
    // costs less than a missed change.
    while (!signal.aborted) {
      await sleep(this.options.watchPollMs * 2, signal);
      if (signal.aborted) return;
      for (const row of await recentChanges()) {
        if (reported.has(row.key)) continue;
        reported.set(row.key, row.updatedAt.getTime());
        yield { runId: row.id, tenantId: row.tenantId };
      }
      const forgetBefore = Date.now() - 2 * RUN_CHANGE_LOOKBACK_MS;
      for (const [key, at] of reported) if (at < forgetBefore) reported.delete(key);
    }
  }

  // ---------------------------------------------------------------------------------- preview

  async preview(user: Actor, request: RunbookRequest & { tenantId: string }, signal?: AbortSignal, audit: AuditSource = {}): Promise<RunbookPreviewView> {
    const definition = this.definition(request.runbookId);
    await this.requirePermission(user, definition, request.input, audit);
    const now = new Date();
    const { context, source } = await this.context(request.tenantId, now);
    const input = definition.inputSchema.parse(request.input);
    const plan = await previewPlan(definition, input, context, source, { signal });
    const holder = await leaseHolderRun(this.db, request.tenantId);
    const preconditions = holder
      ? [
          ...plan.preconditions,
          {
            id: "no-run-in-progress",
            label: "No other run is in progress for this tenant",
            ok: false,
            reason: `${holder.requestedByEmail} is running ${holder.title} since ${hhmm(holder.startedAt)}.`,
          },
        ]
      : plan.preconditions;
    const risk = definition.risk(input, context);
    const canConfirm = preconditions.every((p) => p.ok) && !plan.refusal && (plan.mutations.length > 0 || Boolean(definition.checkOnly));
    if (canConfirm) {
      // Old previews nobody confirmed go when a new one is made.
      await this.db.runbookRun.deleteMany({ where: { state: "planned", plannedAt: { lt: new Date(now.getTime() - this.options.previewTtlMs * 4) } } });
      await this.db.runbookRun.create({
        data: {
          tenantId: context.tenant.id,
          tenantName: context.tenant.name,
          cluster: context.tenant.cluster,
          namespace: context.namespace,
          runbookId: definition.id,
          title: definition.title,
          risk,
          input: input as Prisma.InputJsonValue,
          state: "planned",
          plan: plan.mutations as unknown as Prisma.InputJsonValue,
          planHash: plan.planHash,
          changes: plan.changes as unknown as Prisma.InputJsonValue,
          plannedAt: now,
          requestedById: user.id,
          requestedByEmail: user.email,
        },
      });
    }
    return {
      runbookId: definition.id,
      tenantId: context.tenant.id,
      title: definition.title,
      risk,
      needsApproval: risk === "high",
      preconditions,
      canConfirm,
      refusal: plan.refusal,
      changes: plan.changes,
      planHash: plan.planHash,
      plannedAt: now.toISOString(),
    };
  }

  // ---------------------------------------------------------------------------------- confirm

  async confirm(
    user: Actor,
    request: RunbookRequest & { tenantId: string; planHash: string; idempotencyKey: string },
    source: AuditSource = {},
  ): Promise<RunView> {
    const definition = this.definition(request.runbookId);
    await this.requirePermission(user, definition, request.input, source);
    const input = definition.inputSchema.parse(request.input);
    const fingerprint = sha256(canonicalJson({ tenantId: request.tenantId, runbookId: request.runbookId, input, planHash: request.planHash }));

    const repeat = await this.byIdempotencyKey(user.id, request.idempotencyKey, fingerprint);
    if (repeat) return repeat;

    const planned = await this.db.runbookRun.findFirst({
      where: { requestedById: user.id, tenantId: request.tenantId, runbookId: request.runbookId, planHash: request.planHash, state: "planned" },
      orderBy: { plannedAt: "desc" },
    });
    if (!planned) {
      const again = await this.byIdempotencyKey(user.id, request.idempotencyKey, fingerprint);
      if (again) return again;
      throw new AppError("CONFLICT", {
        message: `no open preview ${request.planHash.slice(0, 12)} of ${request.runbookId} for ${user.email}`,
        userMessage: "This preview was already confirmed or has lapsed. Preview again.",
      });
    }
    if (Date.now() - planned.plannedAt.getTime() > this.options.previewTtlMs) {
      throw new AppError("CONFLICT", {
        message: `preview ${planned.id} lapsed`,
        userMessage: "The preview is older than 15 minutes. Preview again to see the current state.",
      });
    }
    const { context } = await this.context(request.tenantId, planned.plannedAt);
    this.checkDrift(definition, input, context, planned.plan as unknown as KubeMutation[]);

    const high = planned.risk === "high";
    const now = new Date();
    try {
      await this.db.$transaction(async (tx) => {
        const moved = await tx.runbookRun.updateMany({
          where: { id: planned.id, state: "planned" },
          data: {
            state: high ? "awaiting-approval" : "running",
            idempotencyKey: request.idempotencyKey,
            requestFingerprint: fingerprint,
            requestedAt: now,
            startedAt: high ? null : now,
            approvalExpiresAt: high ? new Date(now.getTime() + this.options.approvalTtlMs) : null,
          },
        });
        if (moved.count !== 1) throw new ConsumedElsewhere();
        if (!high) await this.takeLease(tx, planned.tenantId, planned.id);
        await tx.runbookRunStep.createMany({
          data: stepsFor(definition, planned.plan as unknown as KubeMutation[], high).map((step) => ({ ...step, runId: planned.id })),
        });
        await recordAuditEvent(tx, {
          actor: { user },
          action: "runbook.request",
          targetKind: "tenant",
          targetId: planned.tenantId,
          details: {
            runId: planned.id,
            runbookId: definition.id,
            title: definition.title,
            input,
            risk: planned.risk,
            planHash: planned.planHash,
            needsApproval: high,
          },
          source,
        });
        if (!high) await this.auditStart(tx, planned, { user }, source);
      });
    } catch (error) {
      if (error instanceof ConsumedElsewhere || isUniqueViolation(error)) {
        const again = await this.byIdempotencyKey(user.id, request.idempotencyKey, fingerprint);
        if (again) return again;
        throw new AppError("CONFLICT", {
          message: `preview ${planned.id} confirmed by another request`,
          userMessage: "This preview was already confirmed. Preview again to run it once more.",
        });
      }
      throw error;
    }
    if (!high) this.execute(planned.id);
    return this.run(planned.id);
  }

  /**
   * Preview and confirmation in one, for work a person started over many tenants (a migration
   * wave's step): each run is theirs (permission, lock, audit, approval as for a click) and keyed,
   * so asking again with the same key returns the run it made, never a second one.
   */
  async request(
    user: Actor,
    request: RunbookRequest & { tenantId: string },
    idempotencyKey: string,
    source: AuditSource = {},
  ): Promise<{ run: RunView; refused?: undefined } | { refused: string; run?: undefined }> {
    const existing = await this.db.runbookRun.findUnique({
      where: { requestedById_idempotencyKey: { requestedById: user.id, idempotencyKey } },
      select: { id: true },
    });
    if (existing) return { run: await this.run(existing.id) };
    const preview = await this.preview(user, request, undefined, source);
    if (!preview.canConfirm) {
      const failed = preview.preconditions.filter((p) => !p.ok).map((p) => p.reason ?? p.label);
      return { refused: preview.refusal ?? (failed.join(" ") || "The runbook has nothing to do for this tenant.") };
    }
    return { run: await this.confirm(user, { ...request, planHash: preview.planHash, idempotencyKey }, source) };
  }

  /**
   * What one runbook would do over many tenants, from the cache alone (no dry run, nothing stored):
   * for each tenant, whether its preconditions pass now, and the run's risk. A run over a
   * selection shows this before anyone confirms; each run is still previewed when it starts.
   */
  async assess(user: Actor, request: RunbookRequest, tenantIds: readonly string[], source: AuditSource = {}): Promise<RunAssessment[]> {
    const definition = this.definition(request.runbookId);
    await this.requirePermission(user, definition, request.input, source);
    const input = definition.inputSchema.parse(request.input);
    const now = new Date();
    const assessments: RunAssessment[] = [];
    for (const tenantId of tenantIds) {
      let context: RunbookContext;
      try {
        context = (await this.context(tenantId, now)).context;
      } catch (error) {
        assessments.push({ tenantId, ok: false, reason: error instanceof AppError ? error.userMessage : (error as Error).message, risk: "low" });
        continue;
      }
      const failing = definition.preconditions(input, context).find((p) => !p.ok);
      const empty = !failing && !definition.checkOnly && definition.plan(input, context).length === 0;
      assessments.push({
        tenantId,
        ok: !failing && !empty,
        reason: failing ? (failing.reason ?? failing.label) : empty ? "Nothing to do for this tenant." : undefined,
        risk: definition.risk(input, context),
      });
    }
    return assessments;
  }

  private async byIdempotencyKey(userId: string, key: string, fingerprint: string): Promise<RunView | undefined> {
    const row = await this.db.runbookRun.findUnique({
      where: { requestedById_idempotencyKey: { requestedById: userId, idempotencyKey: key } },
      include: RUN_WITH_STEPS,
    });
    if (!row) return undefined;
    if (row.requestFingerprint !== fingerprint) {
      throw new AppError("UNPROCESSABLE", {
        message: `idempotency key reused for another payload (run ${row.id})`,
        userMessage: "This Idempotency-Key was already used for a different request. Make a new key for a new request.",
      });
    }
    return runView(row);
  }

  /** The plan still applies: same mutations from the cache now, objects at the versions previewed. */
  private checkDrift(definition: RunbookDefinition<unknown>, input: unknown, context: RunbookContext, planned: KubeMutation[]): void {
    const failing = definition.preconditions(input, context).find((p) => !p.ok);
    if (failing) {
      throw new AppError("CONFLICT", { message: `precondition ${failing.id} fails now`, userMessage: `${failing.reason ?? failing.label} Preview again.` });
    }
    const strip = (mutations: readonly KubeMutation[]) => mutations.map((m) => canonicalJson({ ...m, resourceVersion: undefined, uid: undefined }));
    const replanned = strip(definition.plan(input, context));
    if (JSON.stringify(replanned) !== JSON.stringify(strip(planned))) {
      throw new AppError("CONFLICT", {
        message: `plan of ${definition.id} changed`,
        userMessage: "The tenant changed since the preview, so the plan is different now. Preview again.",
      });
    }
    for (const mutation of planned) {
      if (mutation.type === "create-job-from-cronjob" || !mutation.resourceVersion) continue;
      const resource = mutation.type === "expand-volume" ? "persistentvolumeclaims" : "deployments";
      const current = context.cluster.get(resource, mutation.namespace, mutation.name);
      if (current && current.metadata.resourceVersion !== mutation.resourceVersion) {
        const kind = resource === "deployments" ? "Deployment" : "PersistentVolumeClaim";
        throw new AppError("CONFLICT", {
          message: `${kind} ${mutation.namespace}/${mutation.name} moved from ${mutation.resourceVersion} to ${current.metadata.resourceVersion}`,
          userMessage: `${kind} ${mutation.name} changed since the preview. Preview again to see what would change now.`,
        });
      }
    }
  }

  private async takeLease(tx: Db, tenantId: string, runId: string): Promise<void> {
    const ok = await acquireLease(tx, { tenantId, runId, holder: this.options.holder, leaseMs: this.options.leaseMs });
    if (ok) return;
    const holder = await leaseHolderRun(tx, tenantId);
    throw new AppError("CONFLICT", {
      message: `tenant ${tenantId} is leased by run ${holder?.id}`,
      userMessage: holder
        ? `${holder.requestedByEmail} is running ${holder.title} since ${hhmm(holder.startedAt)} (run ${holder.id}). Wait for it to end.`
        : "Another run is in progress for this tenant. Wait for it to end.",
    });
  }

  private async auditStart(
    tx: Db,
    run: { id: string; tenantId: string; runbookId: string; title: string },
    actor: { user: Actor } | { name: string },
    source: AuditSource,
  ): Promise<void> {
    await recordAuditEvent(tx, {
      actor: "user" in actor ? { user: actor.user } : actor,
      action: "runbook.run",
      targetKind: "tenant",
      targetId: run.tenantId,
      details: { runId: run.id, runbookId: run.runbookId, title: run.title },
      source,
    });
  }

  // ---------------------------------------------------------------------------------- approvals

  async approve(user: Actor, runId: string, comment: string | undefined, source: AuditSource = {}): Promise<RunView> {
    const row = await this.awaitingApproval(runId, user);
    const definition = this.definition(row.runbookId as RunbookId);
    const { context } = await this.context(row.tenantId, row.plannedAt);
    try {
      this.checkDrift(definition, row.input, context, row.plan as unknown as KubeMutation[]);
    } catch (error) {
      if (error instanceof AppError) {
        await this.close(
          row.id,
          "cancelled",
          `Not approved: ${error.userMessage.replace(/ Preview again.*$/, "")} The requester must preview it again.`,
          { user },
          source,
          "runbook.approve",
          "failure",
        );
      }
      throw error;
    }
    const now = new Date();
    await this.db.$transaction(async (tx) => {
      const moved = await tx.runbookRun.updateMany({
        where: { id: row.id, state: "awaiting-approval" },
        data: {
          state: "running",
          decision: "approved",
          decidedById: user.id,
          decidedByEmail: user.email,
          decidedAt: now,
          decisionComment: comment ?? null,
          startedAt: now,
        },
      });
      if (moved.count !== 1)
        throw new AppError("CONFLICT", { message: `run ${row.id} no longer awaits approval`, userMessage: "This run no longer awaits approval." });
      await this.takeLease(tx, row.tenantId, row.id);
      await tx.runbookRunStep.updateMany({
        where: { runId: row.id, index: 0 },
        data: { state: "succeeded", endedAt: now, output: `Approved by ${user.email}${comment ? `: ${comment}` : "."}` },
      });
      await recordAuditEvent(tx, {
        actor: { user },
        action: "runbook.approve",
        targetKind: "tenant",
        targetId: row.tenantId,
        details: { runId: row.id, runbookId: row.runbookId, comment },
        source,
      });
      await this.auditStart(tx, row, { user }, source);
    });
    this.execute(row.id);
    return this.run(row.id);
  }

  async reject(user: Actor, runId: string, comment: string, source: AuditSource = {}): Promise<RunView> {
    const row = await this.awaitingApproval(runId, user);
    const now = new Date();
    await this.db.$transaction(async (tx) => {
      const moved = await tx.runbookRun.updateMany({
        where: { id: row.id, state: "awaiting-approval" },
        data: {
          state: "rejected",
          decision: "rejected",
          decidedById: user.id,
          decidedByEmail: user.email,
          decidedAt: now,
          decisionComment: comment,
          endedAt: now,
          message: `Rejected by ${user.email}: ${comment}`,
        },
      });
      if (moved.count !== 1)
        throw new AppError("CONFLICT", { message: `run ${row.id} no longer awaits approval`, userMessage: "This run no longer awaits approval." });
      await tx.runbookRunStep.updateMany({
        where: { runId: row.id, index: 0 },
        data: { state: "failed", endedAt: now, output: `Rejected by ${user.email}: ${comment}` },
      });
      await tx.runbookRunStep.updateMany({ where: { runId: row.id, index: { gt: 0 } }, data: { state: "skipped" } });
      await recordAuditEvent(tx, {
        actor: { user },
        action: "runbook.reject",
        targetKind: "tenant",
        targetId: row.tenantId,
        details: { runId: row.id, runbookId: row.runbookId, comment },
        source,
      });
    });
    return this.run(row.id);
  }

  async cancel(user: Actor, runId: string, source: AuditSource = {}): Promise<RunView> {
    const row = await this.db.runbookRun.findUnique({ where: { id: runId } });
    if (!row || row.state === "planned") throw new AppError("NOT_FOUND", { message: `run ${runId} not found`, userMessage: "No run with this id." });
    if (row.state !== "awaiting-approval") {
      throw new AppError("CONFLICT", {
        message: `run ${runId} is ${row.state}`,
        userMessage: "Only a run still awaiting approval can be cancelled; a started run is never stopped halfway.",
      });
    }
    if (row.requestedById !== user.id && !can(user.role, "runbook:approve")) {
      throw new AppError("FORBIDDEN", {
        message: `${user.email} may not cancel run ${runId}`,
        userMessage: "Only the requester or an approver can cancel this run.",
      });
    }
    await this.close(row.id, "cancelled", `Cancelled by ${user.email}.`, { user }, source, "runbook.cancel", "success");
    return this.run(row.id);
  }

  private async awaitingApproval(runId: string, user: Actor): Promise<RunRow> {
    await this.expireApproval(runId);
    const row = await this.db.runbookRun.findUnique({ where: { id: runId }, include: RUN_WITH_STEPS });
    if (!row || row.state === "planned") throw new AppError("NOT_FOUND", { message: `run ${runId} not found`, userMessage: "No run with this id." });
    if (row.state !== "awaiting-approval") {
      throw new AppError("CONFLICT", {
        message: `run ${runId} is ${row.state}`,
        userMessage: `This run is ${row.state.replace("-", " ")}, not awaiting approval.`,
      });
    }
    if (row.requestedById === user.id) {
      await recordAuditEvent(this.db, {
        actor: { user },
        action: "runbook.approve",
        outcome: "denied",
        targetKind: "tenant",
        targetId: row.tenantId,
        details: { runId: row.id, runbookId: row.runbookId, reason: "self-approval" },
      });
      throw new AppError("FORBIDDEN", {
        message: `${user.email} tried to decide their own run ${runId}`,
        userMessage: `You requested this run, so you cannot approve or reject it. ${SECOND_PERSON}`,
      });
    }
    return row;
  }

  /** An approval request lapses after 30 minutes. */
  private async expireApproval(runId: string): Promise<void> {
    const row = await this.db.runbookRun.findUnique({ where: { id: runId }, select: { state: true, approvalExpiresAt: true } });
    if (row?.state === "awaiting-approval" && row.approvalExpiresAt && row.approvalExpiresAt.getTime() < Date.now()) {
      await this.close(
        runId,
        "cancelled",
        "Nobody approved the run within 30 minutes; the request lapsed.",
        { name: "system" },
        {},
        "runbook.outcome",
        "failure",
      );
    }
  }

  /** Ends a run that never started (cancelled, lapsed, drifted before approval). */
  private async close(
    runId: string,
    state: RunState,
    message: string,
    actor: { user: Actor } | { name: string },
    source: AuditSource,
    action: string,
    outcome: "success" | "failure",
  ): Promise<void> {
    const now = new Date();
    await this.db.$transaction(async (tx) => {
      const moved = await tx.runbookRun.updateMany({ where: { id: runId, state: "awaiting-approval" }, data: { state, message, endedAt: now } });
      if (moved.count !== 1) return;
      const row = await tx.runbookRun.findUniqueOrThrow({ where: { id: runId } });
      await tx.runbookRunStep.updateMany({ where: { runId, state: { in: ["pending", "running"] } }, data: { state: "skipped" } });
      await recordAuditEvent(tx, {
        actor: "user" in actor ? { user: actor.user } : actor,
        action,
        outcome,
        targetKind: "tenant",
        targetId: row.tenantId,
        details: { runId, runbookId: row.runbookId, state, message },
        source,
      });
    });
  }

  // ---------------------------------------------------------------------------------- execution

  /** Runs (or resumes) a run this process holds the lease of, in the background. */
  private execute(runId: string, resume = false): void {
    if (this.executing.has(runId) || this.disposed) return;
    const abort = new AbortController();
    this.executing.set(runId, abort);
    void this.executeRun(runId, abort.signal, resume)
      .catch((error: unknown) => {
        if (!abort.signal.aborted) console.error(`[runbooks] run ${runId} failed in the engine: ${(error as Error).stack ?? error}`);
      })
      .finally(() => this.executing.delete(runId));
  }

  private async executeRun(runId: string, signal: AbortSignal, resume: boolean): Promise<void> {
    const row = await this.db.runbookRun.findUniqueOrThrow({ where: { id: runId }, include: RUN_WITH_STEPS });
    const definition = this.definition(row.runbookId as RunbookId);
    const lease = { tenantId: row.tenantId, runId, holder: this.options.holder, leaseMs: this.options.leaseMs };
    let leaseLost = false;
    const heartbeat = setInterval(
      () => {
        void renewLease(this.db, lease)
          .then((ok) => {
            if (!ok) leaseLost = true;
          })
          .catch(() => undefined);
      },
      Math.max(250, Math.floor(this.options.leaseMs / 3)),
    );
    heartbeat.unref?.();
    this.heartbeats.add(heartbeat);
    try {
      const { context, source } = await this.context(row.tenantId);
      const mutations = row.plan as unknown as KubeMutation[];
      const outcomes = [...(row.outcomes as unknown as MutationOutcome[])];
      const mutationSteps = row.steps.filter((step) => step.kind === "mutation");
      let sentAt = row.sentAt ?? undefined;

      if (resume) {
        const unsent = mutationSteps.filter((step) => step.state === "pending");
        const anySent = mutationSteps.some((step) => step.state !== "pending");
        if (unsent.length > 0) {
          const shows = anySent ? ` The cluster shows: ${describe(definition.verify(sentPlan(row, mutations, outcomes, sentAt), context))}` : "";
          const message = anySent
            ? `The portal stopped after step ${mutationSteps.length - unsent.length} of ${mutationSteps.length}; the rest was not sent and will not be.${shows}`
            : "The portal stopped before anything was sent; nothing changed.";
          for (const step of mutationSteps.filter((s) => s.state === "running")) {
            await updateStep(this.db, runId, step.index, {
              state: "failed",
              endedAt: new Date(),
              output: "The portal stopped while sending this; whether it reached the cluster is not known, and it is not sent again.",
            });
          }
          return await this.finish(row, "interrupted", message, undefined);
        }
        for (const step of mutationSteps.filter((s) => s.state === "running")) {
          await updateStep(this.db, runId, step.index, {
            state: "succeeded",
            endedAt: new Date(),
            output: "Sent before the portal restarted; its answer was lost. Verification reads the result from the cluster.",
          });
        }
      }

      for (const [position, step] of mutationSteps.entries()) {
        if (step.state !== "pending") continue;
        if (signal.aborted || leaseLost) return;
        const mutation = mutations[position];
        const now = new Date();
        sentAt ??= now;
        // Recorded before the request: after a crash from here on, this step may have reached the cluster.
        await updateStep(this.db, runId, step.index, { state: "running", startedAt: now }, { sentAt });
        try {
          const outcome = await source.mutate(mutation, { dryRun: false, signal, timeoutMs: 30_000 });
          outcomes.push(summarize(outcome));
          await updateStep(
            this.db,
            runId,
            step.index,
            { state: "succeeded", endedAt: new Date(), output: `${outcome.request.method} ${outcome.request.path} → ${outcome.status}` },
            { outcomes: outcomes as unknown as Prisma.InputJsonValue },
          );
        } catch (error) {
          if (signal.aborted) return;
          const message = kubeRefusal(error);
          await updateStep(this.db, runId, step.index, { state: "failed", endedAt: new Date(), output: message });
          return await this.finish(row, "failed", `Kubernetes refused “${step.title}”: ${message}`, undefined);
        }
      }

      const verifyStep = row.steps.find((step) => step.kind === "verify");
      await this.db.runbookRun.update({ where: { id: runId }, data: { state: "verifying", updatedAt: new Date() } });
      const sent = sentPlan(row, mutations, outcomes, sentAt ?? new Date());
      const deadline = (sentAt ?? new Date()).getTime() + definition.verifyTimeoutMs;
      if (verifyStep) await updateStep(this.db, runId, verifyStep.index, { state: "running", startedAt: new Date() });
      const result = await this.verify(definition, sent, context, source, deadline, signal, async (progress) => {
        if (verifyStep) await updateStep(this.db, runId, verifyStep.index, { output: progress });
      });
      if (signal.aborted) return;
      if (result.state === "succeeded" && definition.probe) {
        const probed = await this.probe(definition, sent, context, source, signal);
        if (signal.aborted) return;
        if (!probed.ok) Object.assign(result, { state: "failed", message: probed.message });
        else result.message = `${result.message} ${probed.message}`;
      }
      if (verifyStep) {
        await updateStep(this.db, runId, verifyStep.index, {
          state: result.state === "succeeded" ? "succeeded" : "failed",
          endedAt: new Date(),
          output: result.message,
        });
      }
      let output: string | undefined;
      const outputStep = row.steps.find((step) => step.kind === "output");
      if (definition.output && outputStep) {
        try {
          output = await definition.output(sent, { ...context, now: new Date(), source });
        } catch (error) {
          output = `The output could not be read: ${toKubeError(error).message}`;
        }
        await updateStep(this.db, runId, outputStep.index, {
          state: output === undefined ? "skipped" : "succeeded",
          startedAt: new Date(),
          endedAt: new Date(),
          output: output ?? null,
        });
      }
      const undo = result.state === "succeeded" ? definition.inverse?.(sent, context) : undefined;
      await this.finish(row, result.state, result.message, undo);
    } catch (error) {
      if (signal.aborted) return;
      const message = error instanceof AppError ? error.userMessage : toKubeError(error).message;
      await this.finish(row, "failed", `The run could not continue: ${message}`, undefined);
    } finally {
      clearInterval(heartbeat);
      this.heartbeats.delete(heartbeat);
    }
  }

  /** The runbook's look through the API server, tried up to three times a second apart. */
  private async probe(
    definition: RunbookDefinition<unknown>,
    sent: SentPlan<unknown>,
    context: RunbookContext,
    source: ClusterSource,
    signal: AbortSignal,
  ): Promise<{ ok: boolean; message: string }> {
    let last: VerificationResult = { done: false, progress: "" };
    for (let attempt = 0; attempt < 3 && !signal.aborted; attempt++) {
      if (attempt > 0) await sleep(this.options.verifyPollMs);
      last = await definition.probe!(sent, { ...context, now: new Date(), source, signal });
      if (last.done && last.ok) return { ok: true, message: last.message };
    }
    return { ok: false, message: last.done ? last.message : last.progress };
  }

  /** Reads the cache on each change of the tenant's objects (and every second) until done or the deadline. */
  private async verify(
    definition: RunbookDefinition<unknown>,
    sent: SentPlan<unknown>,
    context: RunbookContext,
    source: ClusterSource,
    deadline: number,
    signal: AbortSignal,
    report: (progress: string) => Promise<void>,
  ): Promise<{ state: "succeeded" | "failed" | "timed-out"; message: string }> {
    let wake: (() => void) | undefined;
    const unsubscribe = source.onChange((change) => {
      if (change.tenantId === context.tenant.id || change.name === "*" || change.tenantId === undefined) wake?.();
    });
    let lastProgress = "";
    try {
      while (!signal.aborted) {
        const stale = source.freshness().find((feed) => VERIFIED_FEEDS.has(feed.kind) && (feed.stale || !feed.synced));
        const result: VerificationResult = stale
          ? {
              done: false,
              progress: `Waiting for the cluster: the ${stale.kind} watch is ${stale.synced ? "stale" : "not synced"}${stale.error ? ` (${stale.error})` : ""}.`,
            }
          : definition.verify(sent, { ...context, now: new Date() });
        if (result.done) return { state: result.ok ? "succeeded" : "failed", message: result.message };
        if (result.progress !== lastProgress) {
          lastProgress = result.progress;
          await report(result.progress);
        }
        const left = deadline - Date.now();
        if (left <= 0) {
          const minutes = Math.round(definition.verifyTimeoutMs / 60_000);
          return {
            state: "timed-out",
            message: `Not verified within ${minutes >= 1 ? `${minutes} min` : `${Math.round(definition.verifyTimeoutMs / 1000)} s`}. Last seen: ${lastProgress}`,
          };
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, this.options.verifyPollMs));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
          signal.addEventListener("abort", () => resolve(), { once: true });
        });
        wake = undefined;
      }
      return { state: "failed", message: "aborted" };
    } finally {
      unsubscribe();
    }
  }

  private async finish(
    row: RunRow,
    state: RunState,
    message: string,
    undo: { runbookId: RunbookId; input: Record<string, unknown> } | undefined,
  ): Promise<void> {
    const now = new Date();
    await this.db.$transaction(async (tx) => {
      await tx.runbookRun.update({
        where: { id: row.id },
        data: { state, message, endedAt: now, undo: (undo as Prisma.InputJsonValue | undefined) ?? undefined },
      });
      await tx.runbookRunStep.updateMany({ where: { runId: row.id, state: "pending" }, data: { state: "skipped" } });
      await releaseLease(tx, row.tenantId, row.id);
      await recordAuditEvent(tx, {
        actor: { name: "runbook engine" },
        action: "runbook.outcome",
        outcome: state === "succeeded" ? "success" : "failure",
        targetKind: "tenant",
        targetId: row.tenantId,
        details: { runId: row.id, runbookId: row.runbookId, title: row.title, requestedBy: row.requestedByEmail, state, message },
      });
    });
  }

  // ---------------------------------------------------------------------------------- recovery

  /**
   * Runs that were executing in a process that stopped (their lease expired or is gone) are taken
   * over: verification resumes when every mutation was sent, else the run is marked interrupted.
   * Approval requests past their 30 minutes lapse.
   */
  async recover(): Promise<void> {
    const lapsed = await this.db.runbookRun.findMany({ where: { state: "awaiting-approval", approvalExpiresAt: { lt: new Date() } }, select: { id: true } });
    for (const run of lapsed) await this.expireApproval(run.id);
    const active = await this.db.runbookRun.findMany({ where: { state: { in: ["running", "verifying"] } }, select: { id: true, tenantId: true } });
    for (const run of active) {
      if (this.executing.has(run.id) || this.disposed) continue;
      const lease = await this.db.tenantRunLease.findUnique({ where: { tenantId: run.tenantId } });
      if (lease && lease.runId === run.id && lease.expiresAt.getTime() > Date.now()) continue;
      const taken = await acquireLease(this.db, { tenantId: run.tenantId, runId: run.id, holder: this.options.holder, leaseMs: this.options.leaseMs });
      if (!taken) continue;
      console.warn(`[runbooks] resuming run ${run.id} left by a stopped portal process`);
      this.execute(run.id, true);
    }
  }

  /** Test hook: resolves once no run executes in this process. */
  async idle(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.executing.size > 0 && Date.now() < until) await sleep(50);
  }
}

class ConsumedElsewhere extends Error {}

/** The watches verification reads: while one is stale, nothing is concluded from it. */
const VERIFIED_FEEDS = new Set<string>(["deployments", "replicasets", "pods", "persistentvolumeclaims", "jobs"]);

function stepsFor(definition: RunbookDefinition<unknown>, mutations: KubeMutation[], needsApproval: boolean) {
  const steps: { index: number; kind: string; title: string; state: string }[] = [];
  if (needsApproval) steps.push({ index: 0, kind: "approval", title: "Wait for approval", state: "running" });
  for (const mutation of mutations) steps.push({ index: steps.length, kind: "mutation", title: mutationTitle(mutation), state: "pending" });
  steps.push({ index: steps.length, kind: "verify", title: "Verify from the cluster", state: "pending" });
  if (definition.output) steps.push({ index: steps.length, kind: "output", title: "Collect the output", state: "pending" });
  return steps;
}

export function mutationTitle(mutation: KubeMutation): string {
  switch (mutation.type) {
    case "restart-deployment":
      return `Restart Deployment ${mutation.name}`;
    case "annotate-deployment":
      return `Annotate Deployment ${mutation.name}`;
    case "scale-deployment":
      return `Scale Deployment ${mutation.name} to ${mutation.replicas}`;
    case "evict-pod":
      return `Evict pod ${mutation.name}`;
    case "force-delete-pod":
      return `Force-delete pod ${mutation.name}`;
    case "expand-volume":
      return `Expand PersistentVolumeClaim ${mutation.name} to ${mutation.storage}`;
    case "create-job-from-cronjob":
      return `Create Job ${mutation.jobName} from CronJob ${mutation.cronJobName}`;
  }
}

function sentPlan(row: RunRow, mutations: KubeMutation[], outcomes: MutationOutcome[], sentAt: Date | undefined): SentPlan<unknown> {
  return { input: row.input, mutations, outcomes, sentAt: sentAt ?? row.startedAt ?? row.requestedAt };
}

function describe(result: VerificationResult): string {
  return result.done ? result.message : result.progress;
}

/** What a run keeps of an answer: the request and the changed object's identity, not its whole body. */
function summarize(outcome: MutationOutcome): MutationOutcome {
  const meta = (object: typeof outcome.after) => {
    const m = (object?.metadata ?? {}) as { name?: string; namespace?: string; uid?: string; resourceVersion?: string; generation?: number };
    return object
      ? { metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, generation: m.generation } }
      : undefined;
  };
  return { ...outcome, before: meta(outcome.before), after: meta(outcome.after) };
}

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString("base64url");
}

function decodeCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const date = new Date(at ?? "");
  if (Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/.test(id ?? "")) {
    throw new AppError("BAD_REQUEST", { message: "bad runs cursor", userMessage: "The page cursor is not valid. Start from the first page." });
  }
  return { at: date, id };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

export { changeView, planHashOf };
export type { MutatingRunbookId };
// The input schemas are re-exported for tests that build requests.
export { RUNBOOK_INPUT_SCHEMAS };

import "server-only";

import { can, type Role } from "@/lib/auth/permissions";
import {
  batchRunKey,
  describeSelection,
  RUNBOOK_BATCH_ITEM_STATES,
  type BatchRunbookId,
  type RunbookBatchCounts,
  type RunbookBatchItemState,
  type RunbookBatchItemsResult,
  type RunbookBatchPreviewView,
  type RunbookBatchSkipGroup,
  type RunbookBatchState,
  type RunbookBatchView,
} from "@/lib/runbooks/runbook-batches";
import type { BatchRunbookRequest, RunbookBatchCreateInput, RunbookBatchPreviewInput, RunbookBatchSelection } from "@/lib/runbooks/runbook-batch-schemas";
import type { RunState } from "@/lib/runbooks/run-views";
import type { TenantSummary } from "@/lib/tenants/types";
import { recordAuditEvent, type AuditSource } from "@/server/audit/audit-log";
import type { Prisma, PrismaClient } from "@/server/db/generated/client";
import { AppError } from "@/server/errors/app-error";
import type { RunAssessment } from "@/server/runbooks/engine/engine";
import { RUNBOOKS } from "@/server/runbooks/index";
import { selectTenants } from "@/server/tenants/fleet-query";

type BatchRow = Prisma.RunbookBatchGetPayload<object>;
type ItemRow = Prisma.RunbookBatchItemGetPayload<object>;

export interface BatchUser {
  id: string;
  email: string;
  role: Role;
}

export interface RunbookBatchServiceOptions {
  db: PrismaClient;
  /** The fleet as the tenants list sees it (the watch-fed directory). */
  summaries(): Promise<readonly TenantSummary[]>;
  /** The engine's look over the cache: would each tenant's run start now, at what risk. */
  assess(user: BatchUser, request: BatchRunbookRequest, tenantIds: readonly string[], source: AuditSource): Promise<RunAssessment[]>;
  /** A selection of more tenants than this needs a second person's approval. */
  approvalSize: number;
  now?(): Date;
}

const SAMPLE_SIZE = 8;
const EXAMPLES_PER_REASON = 5;

/** Failed runs that count against the budget: those that ended after the last resume. */
export function countedBatchFailures(batch: Pick<BatchRow, "budgetResetAt">, items: readonly Pick<ItemRow, "state" | "endedAt">[]): number {
  return items.filter((item) => item.state === "failed" && (!batch.budgetResetAt || (item.endedAt ?? new Date(0)) > batch.budgetResetAt)).length;
}

function emptyCounts(): RunbookBatchCounts {
  return Object.fromEntries(RUNBOOK_BATCH_ITEM_STATES.map((state) => [state, 0])) as RunbookBatchCounts;
}

/** Why each not-runnable tenant would be passed over, most common reason first. */
export function skipGroups(assessments: readonly RunAssessment[], nameOf: (tenantId: string) => string): RunbookBatchSkipGroup[] {
  const groups = new Map<string, RunbookBatchSkipGroup>();
  for (const assessment of assessments) {
    if (assessment.ok) continue;
    const reason = assessment.reason ?? "Its preconditions fail.";
    const group = groups.get(reason) ?? { reason, count: 0, examples: [] };
    group.count += 1;
    if (group.examples.length < EXAMPLES_PER_REASON) group.examples.push(nameOf(assessment.tenantId));
    groups.set(reason, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

/** Why the selection waits for a second person, in plain words (none: it starts at once). */
export function approvalReasons(size: number, highRisk: number, approvalSize: number, title: string): string[] {
  const reasons: string[] = [];
  if (size > approvalSize) reasons.push(`${size} tenants is more than ${approvalSize}, the size that runs without a second person.`);
  if (highRisk > 0) reasons.push(`${highRisk} of the runs (${title} of a production instance) are high risk.`);
  return reasons;
}

/**
 * Runs over a selection, as people make and steer them: the preview (what would run, what would
 * be passed over and why), creation with the approval rule, the approver's decision, pause,
 * resume, retry and cancel, each audited in the transaction of its change. The driver
 * (batch-driver.ts) starts and follows the runs.
 */
export class RunbookBatchService {
  constructor(private readonly options: RunbookBatchServiceOptions) {}

  private get db(): PrismaClient {
    return this.options.db;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** The tenants of a selection, in the order their runs will start. */
  private async resolve(selection: RunbookBatchSelection): Promise<TenantSummary[]> {
    const summaries = await this.options.summaries();
    if ("filter" in selection) return selectTenants([...summaries], selection.filter);
    const byId = new Map(summaries.map((summary) => [summary.id, summary]));
    const picked = [...new Set(selection.tenantIds)].map((id) => byId.get(id));
    const missing = selection.tenantIds.filter((id) => !byId.has(id));
    if (missing.length > 0) {
      throw new AppError("NOT_FOUND", {
        message: `tenants not in the registry: ${missing.slice(0, 5).join(", ")}`,
        userMessage: `${missing.length} of the picked tenants are not in the registry (${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ", …" : ""}). Pick again from the tenants list.`,
      });
    }
    return picked.filter((summary): summary is TenantSummary => summary !== undefined);
  }

  private async assessSelection(user: BatchUser, input: RunbookBatchPreviewInput, source: AuditSource) {
    const tenants = await this.resolve(input.selection);
    if (tenants.length === 0) {
      throw new AppError("BAD_REQUEST", {
        message: "empty selection",
        userMessage: "No tenant matches this selection. Change the search or the filters on the tenants list.",
      });
    }
    const assessments = await this.options.assess(
      user,
      input.request,
      tenants.map((tenant) => tenant.id),
      source,
    );
    const runnable = assessments.filter((a) => a.ok);
    const highRisk = runnable.filter((a) => a.risk === "high").length;
    const title = RUNBOOKS[input.request.runbookId].title;
    const reasons = approvalReasons(tenants.length, highRisk, this.options.approvalSize, title);
    return { tenants, assessments, runnable: runnable.length, highRisk, title, reasons };
  }

  async preview(user: BatchUser, input: RunbookBatchPreviewInput, source: AuditSource = {}): Promise<RunbookBatchPreviewView> {
    const { tenants, assessments, runnable, highRisk, title, reasons } = await this.assessSelection(user, input, source);
    const names = new Map(tenants.map((tenant) => [tenant.id, tenant.name]));
    return {
      runbookId: input.request.runbookId,
      title,
      size: tenants.length,
      runnable,
      highRisk,
      skipped: skipGroups(assessments, (id) => names.get(id) ?? id),
      sample: tenants.slice(0, SAMPLE_SIZE).map((tenant) => ({ id: tenant.id, name: tenant.name })),
      needsApproval: reasons.length > 0,
      approvalReasons: reasons,
      approvalSize: this.options.approvalSize,
    };
  }

  /**
   * Makes the batch with one pending item per tenant (the selection as it is now, so a later
   * filter change does not move it). At most once per Idempotency-Key: a repeat returns the first.
   */
  async create(user: BatchUser, input: RunbookBatchCreateInput, source: AuditSource = {}): Promise<RunbookBatchView> {
    const existing = await this.db.runbookBatch.findUnique({
      where: { requestedById_idempotencyKey: { requestedById: user.id, idempotencyKey: input.idempotencyKey } },
    });
    if (existing) return this.get(existing.id);
    const { tenants, runnable, reasons, title } = await this.assessSelection(user, input, source);
    if (runnable === 0) {
      throw new AppError("CONFLICT", {
        message: "no runnable tenant in the selection",
        userMessage: `${title} has nothing to do for any of the ${tenants.length} selected tenants. Look at the reasons in the preview.`,
      });
    }
    const needsApproval = reasons.length > 0;
    const now = this.now();
    let batchId: string;
    try {
      batchId = await this.db.$transaction(async (tx) => {
        const batch = await tx.runbookBatch.create({
          data: {
            runbookId: input.request.runbookId,
            title,
            input: input.request.input as Prisma.InputJsonValue,
            selection: input.selection as Prisma.InputJsonValue,
            size: tenants.length,
            concurrency: input.concurrency,
            failureBudget: input.failureBudget,
            state: needsApproval ? "awaiting-approval" : "running",
            needsApproval,
            requestedById: user.id,
            requestedByEmail: user.email,
            idempotencyKey: input.idempotencyKey,
            startedAt: needsApproval ? null : now,
          },
        });
        await tx.runbookBatchItem.createMany({
          data: tenants.map((tenant, position) => ({
            batchId: batch.id,
            tenantId: tenant.id,
            tenantName: tenant.name,
            position,
            idempotencyKey: batchRunKey(batch.id, tenant.id, 1),
          })),
        });
        await recordAuditEvent(tx, {
          actor: { user },
          action: "runbook.batch-create",
          targetKind: "runbook-batch",
          targetId: batch.id,
          details: {
            runbookId: input.request.runbookId,
            input: input.request.input,
            selection: describeSelection(input.selection),
            size: tenants.length,
            concurrency: input.concurrency,
            failureBudget: input.failureBudget,
            needsApproval,
          },
          source,
        });
        return batch.id;
      });
    } catch (error) {
      // Two requests with one key raced: the other made it.
      if ((error as { code?: string }).code === "P2002") {
        const raced = await this.db.runbookBatch.findUnique({
          where: { requestedById_idempotencyKey: { requestedById: user.id, idempotencyKey: input.idempotencyKey } },
        });
        if (raced) return this.get(raced.id);
      }
      throw error;
    }
    return this.get(batchId);
  }

  private async batch(batchId: string): Promise<BatchRow> {
    const row = await this.db.runbookBatch.findUnique({ where: { id: batchId } });
    if (!row) throw new AppError("NOT_FOUND", { message: `runbook batch ${batchId}`, userMessage: "No run over a selection has this id." });
    return row;
  }

  private async countsOf(batchIds: string[]): Promise<Map<string, { counts: RunbookBatchCounts; failedEnds: Date[] }>> {
    const groups = await this.db.runbookBatchItem.groupBy({ by: ["batchId", "state"], where: { batchId: { in: batchIds } }, _count: { _all: true } });
    const failed = await this.db.runbookBatchItem.findMany({ where: { batchId: { in: batchIds }, state: "failed" }, select: { batchId: true, endedAt: true } });
    const result = new Map(batchIds.map((id) => [id, { counts: emptyCounts(), failedEnds: [] as Date[] }]));
    for (const group of groups) result.get(group.batchId)!.counts[group.state as RunbookBatchItemState] = group._count._all;
    for (const row of failed) result.get(row.batchId)!.failedEnds.push(row.endedAt ?? new Date(0));
    return result;
  }

  private view(row: BatchRow, counts: RunbookBatchCounts, failedEnds: Date[]): RunbookBatchView {
    const selection = row.selection as RunbookBatchSelection;
    return {
      id: row.id,
      runbookId: row.runbookId as BatchRunbookId,
      title: row.title,
      input: row.input as Record<string, unknown>,
      selection,
      selectionLabel: describeSelection(selection),
      size: row.size,
      concurrency: row.concurrency,
      failureBudget: row.failureBudget,
      state: row.state as RunbookBatchState,
      needsApproval: row.needsApproval,
      pausedReason: row.pausedReason,
      requestedBy: { id: row.requestedById, email: row.requestedByEmail },
      decidedBy: row.decidedByEmail && row.decidedAt ? { email: row.decidedByEmail, at: row.decidedAt.toISOString(), comment: row.decisionComment } : null,
      counts,
      countedFailures: countedBatchFailures(
        row,
        failedEnds.map((endedAt) => ({ state: "failed", endedAt })),
      ),
      createdAt: row.createdAt.toISOString(),
      startedAt: row.startedAt?.toISOString() ?? null,
      endedAt: row.endedAt?.toISOString() ?? null,
    };
  }

  async get(batchId: string): Promise<RunbookBatchView> {
    const row = await this.batch(batchId);
    const { counts, failedEnds } = (await this.countsOf([row.id])).get(row.id)!;
    return this.view(row, counts, failedEnds);
  }

  async list(limit: number): Promise<RunbookBatchView[]> {
    const rows = await this.db.runbookBatch.findMany({ orderBy: { createdAt: "desc" }, take: limit });
    const counts = await this.countsOf(rows.map((row) => row.id));
    return rows.map((row) => this.view(row, counts.get(row.id)!.counts, counts.get(row.id)!.failedEnds));
  }

  async items(input: { batchId: string; state?: RunbookBatchItemState; page: number; pageSize: number }): Promise<RunbookBatchItemsResult> {
    await this.batch(input.batchId);
    const where = { batchId: input.batchId, ...(input.state ? { state: input.state } : {}) };
    const total = await this.db.runbookBatchItem.count({ where });
    const lastPage = Math.max(1, Math.ceil(total / input.pageSize));
    const page = Math.min(input.page, lastPage);
    const rows = await this.db.runbookBatchItem.findMany({ where, orderBy: { position: "asc" }, skip: (page - 1) * input.pageSize, take: input.pageSize });
    const runIds = rows.map((row) => row.runId).filter((id): id is string => id !== null);
    const runStates = new Map(
      (await this.db.runbookRun.findMany({ where: { id: { in: runIds } }, select: { id: true, state: true } })).map((run) => [run.id, run.state as RunState]),
    );
    return {
      items: rows.map((row) => ({
        tenantId: row.tenantId,
        tenantName: row.tenantName,
        position: row.position,
        attempt: row.attempt,
        state: row.state as RunbookBatchItemState,
        runId: row.runId,
        runState: row.runId ? (runStates.get(row.runId) ?? null) : null,
        message: row.message,
        startedAt: row.startedAt?.toISOString() ?? null,
        endedAt: row.endedAt?.toISOString() ?? null,
      })),
      total,
      page,
      pageSize: input.pageSize,
    };
  }

  /** Moves the batch from one state to another (compare-and-set), audited in the same transaction. */
  private async transition(
    user: BatchUser,
    row: BatchRow,
    from: RunbookBatchState[],
    data: Prisma.RunbookBatchUpdateManyMutationInput,
    action: string,
    details: Record<string, unknown>,
    source: AuditSource,
    also?: (tx: Prisma.TransactionClient) => Promise<void>,
  ): Promise<RunbookBatchView> {
    await this.db.$transaction(async (tx) => {
      const moved = await tx.runbookBatch.updateMany({ where: { id: row.id, state: { in: from } }, data });
      if (moved.count !== 1) {
        throw new AppError("CONFLICT", {
          message: `runbook batch ${row.id}: ${action} refused`,
          userMessage: "Someone changed this run over a selection meanwhile. Look at it again.",
        });
      }
      await also?.(tx);
      await recordAuditEvent(tx, {
        actor: { user },
        action,
        targetKind: "runbook-batch",
        targetId: row.id,
        details: { runbookId: row.runbookId, size: row.size, ...details },
        source,
      });
    });
    return this.get(row.id);
  }

  private refuse(row: BatchRow, userMessage: string): never {
    throw new AppError("CONFLICT", { message: `runbook batch ${row.id} is ${row.state}`, userMessage });
  }

  async approve(user: BatchUser, batchId: string, comment: string, source: AuditSource = {}): Promise<RunbookBatchView> {
    const row = await this.batch(batchId);
    if (row.state !== "awaiting-approval") this.refuse(row, `This run over a selection is ${row.state.replace("-", " ")}, not awaiting approval.`);
    if (row.requestedById === user.id) {
      await recordAuditEvent(this.db, {
        actor: { user },
        action: "runbook.batch-approve",
        outcome: "denied",
        targetKind: "runbook-batch",
        targetId: row.id,
        details: { reason: "self-approval" },
        source,
      });
      throw new AppError("FORBIDDEN", {
        message: `${user.email} may not approve their own batch ${row.id}`,
        userMessage: "A second person must approve this: you asked for it yourself.",
      });
    }
    const now = this.now();
    return this.transition(
      user,
      row,
      ["awaiting-approval"],
      { state: "running", decidedById: user.id, decidedByEmail: user.email, decidedAt: now, decisionComment: comment || null, startedAt: now },
      "runbook.batch-approve",
      { comment: comment || undefined },
      source,
    );
  }

  async reject(user: BatchUser, batchId: string, comment: string, source: AuditSource = {}): Promise<RunbookBatchView> {
    const row = await this.batch(batchId);
    if (row.state !== "awaiting-approval") this.refuse(row, `This run over a selection is ${row.state.replace("-", " ")}, not awaiting approval.`);
    const now = this.now();
    return this.transition(
      user,
      row,
      ["awaiting-approval"],
      { state: "rejected", decidedById: user.id, decidedByEmail: user.email, decidedAt: now, decisionComment: comment, endedAt: now },
      "runbook.batch-reject",
      { comment },
      source,
      (tx) => this.cancelPending(tx, row.id, `Rejected by ${user.email}: ${comment}`).then(() => undefined),
    );
  }

  /** The requester or an approver. Runs in flight finish (a started run is never stopped halfway); waiting tenants are not run. */
  async cancel(user: BatchUser, batchId: string, source: AuditSource = {}): Promise<RunbookBatchView> {
    const row = await this.batch(batchId);
    if (row.requestedById !== user.id && !can(user.role, "runbook:approve")) {
      throw new AppError("FORBIDDEN", {
        message: `${user.email} may not cancel batch ${row.id}`,
        userMessage: "Only the person who asked for it, or an approver, may cancel this run over a selection.",
      });
    }
    const open: RunbookBatchState[] = ["awaiting-approval", "running", "paused"];
    if (!open.includes(row.state as RunbookBatchState)) this.refuse(row, `This run over a selection is ${row.state} already.`);
    const now = this.now();
    return this.transition(user, row, open, { state: "cancelled", endedAt: now, pausedReason: null }, "runbook.batch-cancel", {}, source, (tx) =>
      this.cancelPending(tx, row.id, `Cancelled by ${user.email}.`).then(() => undefined),
    );
  }

  private cancelPending(tx: Prisma.TransactionClient, batchId: string, message: string) {
    return tx.runbookBatchItem.updateMany({ where: { batchId, state: "pending" }, data: { state: "cancelled", message, endedAt: this.now() } });
  }

  async pause(user: BatchUser, batchId: string, source: AuditSource = {}): Promise<RunbookBatchView> {
    const row = await this.batch(batchId);
    if (row.state !== "running") this.refuse(row, "Only a running selection can be paused.");
    return this.transition(user, row, ["running"], { state: "paused", pausedReason: `Paused by ${user.email}.` }, "runbook.batch-pause", {}, source);
  }

  /** Runs on from where it stopped; failures so far no longer count against the budget. */
  async resume(user: BatchUser, batchId: string, source: AuditSource = {}): Promise<RunbookBatchView> {
    const row = await this.batch(batchId);
    if (row.state !== "paused") this.refuse(row, "Only a paused selection can be resumed.");
    return this.transition(user, row, ["paused"], { state: "running", pausedReason: null, budgetResetAt: this.now() }, "runbook.batch-resume", {}, source);
  }

  /** The failed and interrupted tenants get a new attempt (a new idempotency key), and the batch runs again. */
  async retryFailed(user: BatchUser, batchId: string, source: AuditSource = {}): Promise<RunbookBatchView> {
    const row = await this.batch(batchId);
    if (!["paused", "completed"].includes(row.state)) this.refuse(row, "Retry once the selection is paused or has ended.");
    const failed = await this.db.runbookBatchItem.findMany({ where: { batchId, state: { in: ["failed", "interrupted"] } } });
    if (failed.length === 0) this.refuse(row, "No tenant of this selection failed, so there is nothing to retry.");
    const now = this.now();
    return this.transition(
      user,
      row,
      ["paused", "completed"],
      { state: "running", pausedReason: null, budgetResetAt: now, endedAt: null },
      "runbook.batch-retry",
      { tenants: failed.length },
      source,
      async (tx) => {
        for (const item of failed) {
          await tx.runbookBatchItem.update({
            where: { id: item.id },
            data: {
              state: "pending",
              attempt: item.attempt + 1,
              idempotencyKey: batchRunKey(batchId, item.tenantId, item.attempt + 1),
              runId: null,
              message: null,
              startedAt: null,
              endedAt: null,
            },
          });
        }
      },
    );
  }
}

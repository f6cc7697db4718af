import "server-only";

import { can, type Role } from "@/lib/auth/permissions";
import type { BatchRunbookRequest } from "@/lib/runbooks/runbook-batch-schemas";
import { TERMINAL_RUN_STATES, type RunView } from "@/lib/runbooks/run-views";
import { recordAuditEvent } from "@/server/audit/audit-log";
import type { Prisma, PrismaClient } from "@/server/db/generated/client";
import { AppError } from "@/server/errors/app-error";
import { LeasedDriver, type LeasedDriverOptions } from "@/server/leased-driver";
import { countedBatchFailures, type BatchUser } from "./batch-service";

type BatchRow = Prisma.RunbookBatchGetPayload<object>;
type ItemRow = Prisma.RunbookBatchItemGetPayload<object>;

/** What the driver needs of the runbook engine. */
export interface BatchRunbooks {
  request(
    user: BatchUser,
    request: BatchRunbookRequest & { tenantId: string },
    idempotencyKey: string,
  ): Promise<{ run: RunView; refused?: undefined } | { refused: string; run?: undefined }>;
  run(runId: string): Promise<RunView>;
  approve(user: BatchUser, runId: string, comment: string | undefined): Promise<RunView>;
}

export interface BatchDriverOptions extends LeasedDriverOptions {
  db: PrismaClient;
  runbooks: BatchRunbooks;
  /** A tenant whose lock stays held (another run) fails after this long. */
  launchPatienceMs?: number;
}

function budgetReason(failures: number, budget: number): string {
  return `Failure budget reached: ${failures} failed ${failures === 1 ? "run" : "runs"} (budget ${budget}). Look at the failed tenants, then retry them or resume.`;
}

function isTerminal(view: RunView): boolean {
  return TERMINAL_RUN_STATES.includes(view.state);
}

/**
 * Runs each tenant of a run over a selection through the runbook engine, in list order, at most
 * `concurrency` at a time, as the person who asked for it (their permission, the tenant's lock,
 * the run's idempotency key `selection:<batch>:<tenant>:<attempt>`, the audit). All it knows is in
 * the database: a restarted process, or another replica once the lease lapses, goes on where it
 * stopped, and a run's key finds the run it started before, so no tenant runs twice.
 */
export class RunbookBatchDriver extends LeasedDriver {
  constructor(private readonly options: BatchDriverOptions) {
    super("runbook batches", options);
  }

  private get db(): PrismaClient {
    return this.options.db;
  }

  /** One pass over every batch with work: follow its runs, pause on the budget, start the next, end it. */
  async tick(): Promise<void> {
    const batches = await this.db.runbookBatch.findMany({
      where: { OR: [{ state: "running" }, { items: { some: { state: "running" } } }] },
      orderBy: { createdAt: "asc" },
    });
    for (const batch of batches) {
      if (await this.lease(batch.id)) await this.drive(batch);
    }
  }

  private async lease(batchId: string): Promise<boolean> {
    return (await this.db.runbookBatch.updateMany(this.leaseClaim(batchId))).count === 1;
  }

  /** An active user with the role's permission, or undefined (they were disabled or demoted meanwhile). */
  private async user(id: string | null, permission: "runbook:run" | "runbook:approve"): Promise<BatchUser | undefined> {
    if (!id) return undefined;
    const user = await this.db.user.findUnique({ where: { id }, select: { id: true, email: true, role: true, disabled: true } });
    if (!user || user.disabled || !can(user.role as Role, permission)) return undefined;
    return { id: user.id, email: user.email, role: user.role as Role };
  }

  private async drive(batch: BatchRow): Promise<void> {
    // 1. Follow the runs in flight; a high-risk run the approver already covered is approved in their name.
    const running = await this.db.runbookBatchItem.findMany({ where: { batchId: batch.id, state: "running" } });
    const approver = batch.decidedById ? await this.user(batch.decidedById, "runbook:approve") : undefined;
    for (const item of running) {
      if (!item.runId) continue;
      let view = await this.options.runbooks.run(item.runId);
      if (view.state === "awaiting-approval" && approver) view = await this.approveRun(batch, item, view, approver);
      if (isTerminal(view)) await this.settle(item, view);
    }

    const current = await this.db.runbookBatch.findUniqueOrThrow({ where: { id: batch.id } });
    if (current.state !== "running") return;
    // Only what this tick needs: the failed runs' end times (the budget), how many are in flight,
    // and the next waiting tenants in list order (a selection may hold 10,000).
    const failed = await this.db.runbookBatchItem.findMany({ where: { batchId: batch.id, state: "failed" }, select: { state: true, endedAt: true } });

    // 2. The failure budget.
    const failures = countedBatchFailures(current, failed);
    if (failures >= current.failureBudget) {
      await this.pause(current, budgetReason(failures, current.failureBudget));
      return;
    }

    // 3. Start the next tenants, in list order.
    const inFlight = await this.db.runbookBatchItem.count({ where: { batchId: batch.id, state: "running" } });
    const pending = await this.db.runbookBatchItem.findMany({
      where: { batchId: batch.id, state: "pending" },
      orderBy: { position: "asc" },
      take: Math.max(1, current.concurrency - inFlight),
    });
    if (pending.length === 0 && inFlight === 0) return this.complete(current);
    if (pending.length === 0 || inFlight >= current.concurrency) return;
    const requester = await this.user(current.requestedById, "runbook:run");
    if (!requester) {
      await this.pause(
        current,
        `${current.requestedByEmail} can no longer run runbooks, so no more runs start. Cancel it, or ask them to be given the role back.`,
      );
      return;
    }
    let spent = failures;
    for (const item of pending) {
      await this.launch(current, item, requester);
      // A run that fails at once (a check-only runbook) spends the budget before the next starts.
      const after = await this.db.runbookBatchItem.findUniqueOrThrow({ where: { id: item.id }, select: { state: true } });
      if (after.state === "failed" && ++spent >= current.failureBudget) {
        await this.pause(current, budgetReason(spent, current.failureBudget));
        return;
      }
    }
  }

  private async approveRun(batch: BatchRow, item: ItemRow, view: RunView, approver: BatchUser): Promise<RunView> {
    try {
      return await this.options.runbooks.approve(approver, view.id, `Approved with the run over a selection ${batch.id}.`);
    } catch (error) {
      // The tenant is busy with another run: try again on the next tick.
      if (error instanceof AppError && error.code === "CONFLICT" && !(await this.runEnded(view.id))) return view;
      await this.finish(item, "failed", error instanceof AppError ? error.userMessage : (error as Error).message);
      return view;
    }
  }

  private async runEnded(runId: string): Promise<boolean> {
    return isTerminal(await this.options.runbooks.run(runId));
  }

  /** Asks the engine for the tenant's run: preview and confirmation, or the run this key made before. */
  private async launch(batch: BatchRow, item: ItemRow, requester: BatchUser): Promise<void> {
    const request = { tenantId: item.tenantId, runbookId: batch.runbookId, input: batch.input } as BatchRunbookRequest & { tenantId: string };
    const claimed = await this.db.runbookBatchItem.updateMany({
      where: { id: item.id, state: "pending" },
      data: { startedAt: item.startedAt ?? this.now() },
    });
    if (claimed.count !== 1) return;
    let outcome: Awaited<ReturnType<BatchRunbooks["request"]>>;
    try {
      outcome = await this.options.runbooks.request(requester, request, item.idempotencyKey);
    } catch (error) {
      const started = (item.startedAt ?? this.now()).getTime();
      const patient = this.now().getTime() - started < (this.options.launchPatienceMs ?? 120_000);
      if (error instanceof AppError && error.code === "CONFLICT" && patient) return; // busy: the next tick tries again
      await this.finish(item, "failed", error instanceof AppError ? error.userMessage : `The run could not be started: ${(error as Error).message}`);
      return;
    }
    if (outcome.refused !== undefined) {
      // Its preconditions fail now (already stopped, nothing to do): passed over, not a failure.
      await this.finish(item, "skipped", outcome.refused);
      return;
    }
    await this.db.runbookBatchItem.updateMany({ where: { id: item.id, state: "pending" }, data: { runId: outcome.run.id, state: "running" } });
    if (isTerminal(outcome.run)) await this.settle({ ...item, runId: outcome.run.id, state: "running" }, outcome.run);
  }

  private async finish(item: Pick<ItemRow, "id">, state: "failed" | "skipped", message: string): Promise<void> {
    await this.db.runbookBatchItem.updateMany({
      where: { id: item.id, state: { in: ["pending", "running"] } },
      data: { state, message, endedAt: this.now() },
    });
  }

  private async settle(item: ItemRow, view: RunView): Promise<void> {
    // A run a stopped portal left half-done is not the tenant's failure: it does not spend the budget.
    const state = view.state === "succeeded" ? "succeeded" : view.state === "interrupted" ? "interrupted" : "failed";
    await this.db.runbookBatchItem.updateMany({
      where: { id: item.id, state: "running" },
      data: { state, endedAt: this.now(), message: state === "succeeded" ? (view.message ?? null) : (view.message ?? `The run ended ${view.state}.`) },
    });
  }

  private async pause(batch: BatchRow, reason: string): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const moved = await tx.runbookBatch.updateMany({ where: { id: batch.id, state: "running" }, data: { state: "paused", pausedReason: reason } });
      if (moved.count === 1) {
        await recordAuditEvent(tx, {
          actor: { name: "selection driver" },
          action: "runbook.batch-pause",
          targetKind: "runbook-batch",
          targetId: batch.id,
          details: { runbookId: batch.runbookId, reason },
        });
      }
    });
  }

  private async complete(batch: BatchRow): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const moved = await tx.runbookBatch.updateMany({ where: { id: batch.id, state: "running" }, data: { state: "completed", endedAt: this.now() } });
      if (moved.count !== 1) return;
      const counts = await tx.runbookBatchItem.groupBy({ by: ["state"], where: { batchId: batch.id }, _count: { _all: true } });
      await recordAuditEvent(tx, {
        actor: { name: "selection driver" },
        action: "runbook.batch-complete",
        targetKind: "runbook-batch",
        targetId: batch.id,
        details: { runbookId: batch.runbookId, ...Object.fromEntries(counts.map((row) => [row.state, row._count._all])) },
      });
    });
  }
}

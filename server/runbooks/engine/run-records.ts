import "server-only";

import type { RunbookId, RunbookRisk } from "@/lib/runbooks/runbook-inputs";
import type { ObjectChangeView, RunState, RunStepView, RunView } from "@/lib/runbooks/run-views";
import type { Prisma, PrismaClient } from "@/server/db/generated/client";

/**
 * The run rows as the engine reads and writes them, and their views. Everything shared between
 * portal processes lives here: the run and its steps, the per-tenant lease, the idempotency key.
 * A dry-run preview is a row too (state "planned", its pinned plan and diff), which a
 * confirmation moves on; nothing reaches the cluster without that preview.
 */

export type Db = PrismaClient | Prisma.TransactionClient;

export const RUN_WITH_STEPS = { steps: { orderBy: { index: "asc" } } } as const;
export type RunRow = Prisma.RunbookRunGetPayload<{ include: typeof RUN_WITH_STEPS }>;

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : undefined);

export function runView(row: RunRow): RunView {
  const steps: RunStepView[] = row.steps.map((step) => ({
    index: step.index,
    title: step.title,
    state: step.state as RunStepView["state"],
    startedAt: iso(step.startedAt),
    endedAt: iso(step.endedAt),
    output: step.output ?? undefined,
  }));
  return {
    id: row.id,
    tenantId: row.tenantId,
    tenantName: row.tenantName,
    runbookId: row.runbookId as RunbookId,
    title: row.title,
    risk: row.risk as RunbookRisk,
    input: row.input as Record<string, unknown>,
    state: row.state as RunState,
    requestedByEmail: row.requestedByEmail,
    requestedAt: row.requestedAt.toISOString(),
    startedAt: iso(row.startedAt),
    endedAt: iso(row.endedAt),
    message: row.message ?? undefined,
    steps,
    changes: row.changes as unknown as ObjectChangeView[],
    approval:
      row.decision && row.decidedByEmail && row.decidedAt
        ? {
            decision: row.decision as "approved" | "rejected",
            byEmail: row.decidedByEmail,
            at: row.decidedAt.toISOString(),
            comment: row.decisionComment ?? undefined,
          }
        : undefined,
    approvalExpiresAt: row.state === "awaiting-approval" ? iso(row.approvalExpiresAt) : undefined,
    undo: row.state === "succeeded" && row.undo ? (row.undo as RunView["undo"]) : undefined,
  };
}

export interface LeaseHolder {
  tenantId: string;
  runId: string;
  holder: string;
  leaseMs: number;
}

/**
 * Takes the tenant's lease for a run: inserted when free, taken over when expired (its holder
 * stopped renewing it), refused while another run holds it. True when the run now holds it.
 */
export async function acquireLease(db: Db, lease: LeaseHolder): Promise<boolean> {
  const rows = await db.$queryRaw<{ runId: string }[]>`
    INSERT INTO "TenantRunLease" ("tenantId", "runId", "holder", "acquiredAt", "heartbeatAt", "expiresAt")
    VALUES (${lease.tenantId}::uuid, ${lease.runId}::uuid, ${lease.holder}, now(), now(), now() + ${`${lease.leaseMs} milliseconds`}::interval)
    ON CONFLICT ("tenantId") DO UPDATE
      SET "runId" = EXCLUDED."runId", "holder" = EXCLUDED."holder", "acquiredAt" = now(), "heartbeatAt" = now(), "expiresAt" = EXCLUDED."expiresAt"
      WHERE "TenantRunLease"."expiresAt" < now() OR "TenantRunLease"."runId" = EXCLUDED."runId"
    RETURNING "runId"::text AS "runId"`;
  return rows.length === 1 && rows[0].runId === lease.runId;
}

/** Renews the lease while the run executes here; false when it was lost (expired and taken over). */
export async function renewLease(db: Db, lease: LeaseHolder): Promise<boolean> {
  const count = await db.$executeRaw`
    UPDATE "TenantRunLease" SET "heartbeatAt" = now(), "expiresAt" = now() + ${`${lease.leaseMs} milliseconds`}::interval, "holder" = ${lease.holder}
    WHERE "tenantId" = ${lease.tenantId}::uuid AND "runId" = ${lease.runId}::uuid`;
  return count === 1;
}

export async function releaseLease(db: Db, tenantId: string, runId: string): Promise<void> {
  await db.tenantRunLease.deleteMany({ where: { tenantId, runId } });
}

/** The run holding a tenant's lease (unexpired), with who asked for it, for the 409's sentence. */
export async function leaseHolderRun(
  db: Db,
  tenantId: string,
): Promise<{ id: string; title: string; requestedByEmail: string; startedAt: Date | null } | undefined> {
  const lease = await db.tenantRunLease.findUnique({ where: { tenantId } });
  if (!lease || lease.expiresAt.getTime() < Date.now()) return undefined;
  const run = await db.runbookRun.findUnique({ where: { id: lease.runId }, select: { id: true, title: true, requestedByEmail: true, startedAt: true } });
  return run ?? undefined;
}

/** Touches the run so watchers (who compare updatedAt) see a step change. */
export async function updateStep(
  db: Db,
  runId: string,
  index: number,
  data: Prisma.RunbookRunStepUpdateInput,
  run: Prisma.RunbookRunUpdateInput = {},
): Promise<void> {
  await db.runbookRun.update({
    where: { id: runId },
    data: { ...run, updatedAt: new Date(), steps: { update: { where: { runId_index: { runId, index } }, data } } },
  });
}

import "server-only";

import { PROBLEM_RUNBOOKS, RUNBOOK_TITLES, type AcknowledgementView } from "@/lib/tenants/acknowledgements";
import type { AcknowledgeProblemInput, WithdrawAcknowledgementInput } from "@/lib/tenants/acknowledgement-schemas";
import type { FleetSummary, ProblemKind } from "@/lib/tenants/types";
import { recordAuditEvent, type AuditSource } from "@/server/audit/audit-log";
import type { PrismaClient } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";

/**
 * Acknowledgements of "Needs attention" problems, in the database so every portal process shows
 * the same ones. Each write commits with its audit row; lapsed and withdrawn rows stay on record.
 */

interface Person {
  id: string;
  email: string;
}

const HOUR_MS = 60 * 60_000;

type AcknowledgementRow = {
  id: string;
  tenantId: string;
  problemKind: string;
  acknowledgedByEmail: string;
  acknowledgedAt: Date;
  expiresAt: Date;
  reason: string;
};

function toView(row: AcknowledgementRow): AcknowledgementView {
  return {
    id: row.id,
    tenantId: row.tenantId,
    problemKind: row.problemKind as ProblemKind,
    acknowledgedByEmail: row.acknowledgedByEmail,
    acknowledgedAt: row.acknowledgedAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    reason: row.reason,
  };
}

/** The acknowledgements that hold now: not withdrawn, not expired; the newest per problem. */
export async function activeAcknowledgements(db: PrismaClient, now = new Date()): Promise<AcknowledgementView[]> {
  const rows = await db.problemAcknowledgement.findMany({ where: { withdrawnAt: null, expiresAt: { gt: now } }, orderBy: { acknowledgedAt: "desc" } });
  const seen = new Set<string>();
  const views: AcknowledgementView[] = [];
  for (const row of rows) {
    const key = `${row.tenantId}/${row.problemKind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    views.push(toView(row));
  }
  return views;
}

/** The fleet summary with each problem's runbook and the acknowledgement that holds now. */
export function withAcknowledgements(summary: FleetSummary, acknowledgements: readonly AcknowledgementView[]): FleetSummary {
  const byProblem = new Map(acknowledgements.map((ack) => [`${ack.tenantId}/${ack.problemKind}`, ack]));
  return {
    ...summary,
    attention: summary.attention.map((problem) => {
      const ack = byProblem.get(`${problem.tenantId}/${problem.kind}`);
      const runbookId = PROBLEM_RUNBOOKS[problem.kind];
      return {
        ...problem,
        ...(runbookId ? { runbook: { id: runbookId, title: RUNBOOK_TITLES[runbookId] } } : {}),
        ...(ack
          ? {
              acknowledgement: {
                id: ack.id,
                acknowledgedByEmail: ack.acknowledgedByEmail,
                acknowledgedAt: ack.acknowledgedAt,
                expiresAt: ack.expiresAt,
                reason: ack.reason,
              },
            }
          : {}),
      };
    }),
  };
}

/**
 * Acknowledges a problem the fleet shows now (`hasProblem`: the caller asks the cache), replacing
 * an earlier acknowledgement of the same problem.
 */
export async function acknowledgeProblem(
  db: PrismaClient,
  person: Person,
  input: AcknowledgeProblemInput,
  hasProblem: (tenantId: string, kind: ProblemKind) => boolean,
  source?: AuditSource,
  now = new Date(),
): Promise<AcknowledgementView> {
  if (!hasProblem(input.tenantId, input.problemKind)) {
    throw new AppError("NOT_FOUND", {
      message: `no ${input.problemKind} problem on ${input.tenantId}`,
      userMessage: "This problem is no longer reported, so there is nothing to acknowledge.",
    });
  }
  const expiresAt = new Date(now.getTime() + input.forHours * HOUR_MS);
  return db.$transaction(async (tx) => {
    const replaced = await tx.problemAcknowledgement.updateMany({
      where: { tenantId: input.tenantId, problemKind: input.problemKind, withdrawnAt: null, expiresAt: { gt: now } },
      data: { withdrawnAt: now, withdrawnByEmail: person.email },
    });
    const row = await tx.problemAcknowledgement.create({
      data: {
        tenantId: input.tenantId,
        problemKind: input.problemKind,
        acknowledgedById: person.id,
        acknowledgedByEmail: person.email,
        acknowledgedAt: now,
        expiresAt,
        reason: input.reason,
      },
    });
    await recordAuditEvent(tx, {
      actor: { user: person },
      action: "attention.acknowledge",
      targetKind: "tenant",
      targetId: input.tenantId,
      details: {
        acknowledgementId: row.id,
        problemKind: input.problemKind,
        reason: input.reason,
        expiresAt: expiresAt.toISOString(),
        replaced: replaced.count,
      },
      source,
    });
    return toView(row);
  });
}

export async function withdrawAcknowledgement(
  db: PrismaClient,
  person: Person,
  input: WithdrawAcknowledgementInput,
  source?: AuditSource,
  now = new Date(),
): Promise<void> {
  await db.$transaction(async (tx) => {
    const existing = await tx.problemAcknowledgement.findUnique({ where: { id: input.acknowledgementId } });
    if (!existing) {
      throw new AppError("NOT_FOUND", {
        message: `acknowledgement ${input.acknowledgementId} not found`,
        userMessage: "This acknowledgement no longer exists.",
      });
    }
    // Compare-and-set: of two people withdrawing at once, one does it and the other is told.
    const { count } = await tx.problemAcknowledgement.updateMany({
      where: { id: existing.id, withdrawnAt: null, expiresAt: { gt: now } },
      data: { withdrawnAt: now, withdrawnByEmail: person.email },
    });
    if (count === 0) {
      throw new AppError("CONFLICT", {
        message: "acknowledgement no longer active",
        userMessage: "This acknowledgement was already withdrawn or has expired.",
      });
    }
    await recordAuditEvent(tx, {
      actor: { user: person },
      action: "attention.acknowledge-withdraw",
      targetKind: "tenant",
      targetId: existing.tenantId,
      details: { acknowledgementId: existing.id, problemKind: existing.problemKind },
      source,
    });
  });
}

import "server-only";

import type { AuditOutcome } from "@/lib/audit/audit-list";
import type { Prisma, PrismaClient } from "@/server/db/generated/client";

/**
 * The client an audit row is written with: the Prisma client, or the `tx` of an interactive
 * transaction (`db.$transaction(async (tx) => …)`) so the row commits or rolls back with the change.
 */
export type AuditWriter = PrismaClient | Prisma.TransactionClient;

/**
 * Who acted. A portal user links the row to their account, and the row keeps their email if the
 * account is deleted later. An actor without an account is known by a name only: the `--actor` of
 * a CLI import, "system" for the demo seed, the email a sign-in tried that no account has.
 */
export type AuditActor = { user: { id: string; email: string } } | { name: string };

// Callers of recordAuditEvent find every type of an entry here; the list lives with the page's filters.
export type { AuditOutcome };

/** Where the request came from, as the portal saw it (the proxy-aware client address). */
export interface AuditSource {
  address?: string;
  userAgent?: string;
  /** The request's id (x-request-id), also in the server log and in an error answer. */
  requestId?: string;
}

export interface AuditEntry {
  actor: AuditActor;
  /** "<domain>.<verb>", e.g. "logs.read". */
  action: string;
  targetKind: string;
  targetId: string;
  details: Record<string, unknown>;
  /** Unset means "success". */
  outcome?: AuditOutcome;
  source?: AuditSource;
}

/**
 * The one writer of audit rows: records who did what to which object. Callers await it, inside
 * the transaction of the change when there is one: an action that cannot be recorded does not happen.
 */
export async function recordAuditEvent(txOrDb: AuditWriter, entry: AuditEntry): Promise<void> {
  const actor = "user" in entry.actor ? { actorId: entry.actor.user.id, actorEmail: entry.actor.user.email } : { actorId: null, actorEmail: entry.actor.name };
  await txOrDb.auditEvent.create({
    data: {
      ...actor,
      action: entry.action,
      targetKind: entry.targetKind,
      targetId: entry.targetId,
      outcome: entry.outcome ?? "success",
      sourceAddress: entry.source?.address ?? null,
      userAgent: entry.source?.userAgent ?? null,
      requestId: entry.source?.requestId ?? null,
      // Drop undefined values: JSON has no place for them and Prisma rejects them in Json fields.
      details: JSON.parse(JSON.stringify(entry.details)),
    },
  });
}

import "server-only";

import { recordAuditEvent, type AuditActor, type AuditWriter } from "@/server/audit/audit-log";
import { auditSourceOf } from "@/server/audit/request-source";

export interface Denial {
  /** The signed-in user who was refused. */
  user: { id: string; email: string };
  /** "procedure.call" for a tRPC procedure, "route.call" for a route handler. */
  action: "procedure.call" | "route.call";
  targetKind: "procedure" | "route";
  /** The procedure path ("users.list") or the route's pathname. */
  targetId: string;
  /** Why: the permission missing, or the request rule broken. */
  details: Record<string, unknown>;
  headers: Headers;
}

/**
 * Records a refused call as a "denied" row. Only signed-in users' refusals are recorded: an
 * anonymous caller is refused before it can do anything, carries no account to hold to account,
 * and could fill the table from anywhere (failed sign-ins and lockouts are recorded by the sign-in
 * code). A refusal whose row cannot be written is still a refusal: the failure is logged and the
 * caller gets the 403 it was going to get, not a 500.
 */
export async function recordDenial(db: AuditWriter, denial: Denial): Promise<void> {
  const actor: AuditActor = { user: denial.user };
  try {
    await recordAuditEvent(db, {
      actor,
      action: denial.action,
      targetKind: denial.targetKind,
      targetId: denial.targetId,
      outcome: "denied",
      source: auditSourceOf(denial.headers),
      details: denial.details,
    });
  } catch (error) {
    console.error(`Recording the denied ${denial.targetKind} ${denial.targetId} failed:`, error);
  }
}

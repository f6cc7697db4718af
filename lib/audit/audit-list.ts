/** How an audited attempt ended: done, refused by a rule (permission, lockout, origin), or failed. */
export const AUDIT_OUTCOMES = ["success", "denied", "failure"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** One row as the Audit page and the CSV export show it. */
export interface AuditEventRow {
  id: string;
  /** ISO 8601, UTC. */
  at: string;
  actorEmail: string;
  /** Null for actors without an account, and after the account was deleted. */
  actorId: string | null;
  action: string;
  targetKind: string;
  targetId: string;
  outcome: AuditOutcome;
  sourceAddress: string | null;
  userAgent: string | null;
  details: unknown;
}

export interface AuditListPage {
  events: AuditEventRow[];
  total: number;
  page: number;
  pageSize: number;
  /** Every action the log holds, for the "what" filter. */
  actions: string[];
}

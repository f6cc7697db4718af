import "server-only";

import type { PrismaClient } from "@/server/db/client";
import type { SessionUser } from "@/server/auth/session";

type Db = PrismaClient;

export interface AuditEntry {
  actor: Pick<SessionUser, "id" | "email">;
  /** "<domain>.<verb>", e.g. "logs.read". */
  action: string;
  targetKind: string;
  targetId: string;
  details: Record<string, unknown>;
}

/** Records who did what to which object. Callers await it: an access that cannot be recorded does not happen. */
export async function recordAuditEvent(db: Db, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      actorId: entry.actor.id,
      actorEmail: entry.actor.email,
      action: entry.action,
      targetKind: entry.targetKind,
      targetId: entry.targetId,
      // Drop undefined values: JSON has no place for them and Prisma rejects them in Json fields.
      details: JSON.parse(JSON.stringify(entry.details)),
    },
  });
}

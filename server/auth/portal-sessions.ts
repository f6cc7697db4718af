import "server-only";

import { recordAuditEvent, type AuditSource } from "@/server/audit/audit-log";
import { forgetCachedSession, forgetCachedUser, type SessionUser } from "@/server/auth/session";
import type { PrismaClient } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import { AppError } from "@/server/errors/app-error";

type Db = PrismaClient;
type Tx = Prisma.TransactionClient;

/** Why a session ended early; kept on the row and in the audit entry. */
export type RevokeReason = "sign-out" | "sign-out-everywhere" | "admin" | "user-disabled" | "password-reset";

export interface SessionListItem {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  sourceAddress: string | null;
  userAgent: string | null;
}

/** Opens the session row for a sign-in and audits the sign-in with it; returns the new session id. */
export async function startSession(
  tx: Tx,
  input: { user: { id: string; email: string }; provider: string; source: AuditSource; expiresAt: Date },
): Promise<string> {
  const session = await tx.session.create({
    data: {
      userId: input.user.id,
      expiresAt: input.expiresAt,
      sourceAddress: input.source.address ?? null,
      userAgent: input.source.userAgent ?? null,
    },
    select: { id: true },
  });
  await recordAuditEvent(tx, {
    actor: { user: input.user },
    action: "auth.sign-in",
    targetKind: "session",
    targetId: session.id,
    details: { provider: input.provider },
    outcome: "success",
    source: input.source,
  });
  return session.id;
}

/** Sessions of `userId` that still stand at `now`, newest first. */
export async function listActiveSessions(db: Db, userId: string, now = new Date()): Promise<SessionListItem[]> {
  return db.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true, createdAt: true, lastSeenAt: true, expiresAt: true, sourceAddress: true, userAgent: true },
    orderBy: { createdAt: "desc" },
  });
}

/**
 * Ends every standing session of a user inside the caller's transaction (user-admin's disable and
 * password reset use it so the change and the revocation commit together). The caller drops the
 * process cache after the commit (forgetCachedUser).
 */
export async function revokeUserSessionsIn(
  tx: Tx,
  input: { userId: string; actor: SessionUser | null; reason: RevokeReason; source?: AuditSource },
): Promise<number> {
  const { count } = await tx.session.updateMany({
    where: { userId: input.userId, revokedAt: null },
    data: { revokedAt: new Date(), revokedById: input.actor?.id ?? null, revokedReason: input.reason },
  });
  if (count > 0 && input.actor) {
    await recordAuditEvent(tx, {
      actor: { user: input.actor },
      action: "session.revoke-all",
      targetKind: "user",
      targetId: input.userId,
      details: { reason: input.reason, sessions: count },
      outcome: "success",
      source: input.source,
    });
  }
  return count;
}

/** Sign-out: ends the session the request came with. Unknown or already ended sessions are a no-op. */
export async function signOutSession(db: Db, sessionId: string, source: AuditSource): Promise<{ userId: string } | null> {
  const ended = await db.$transaction(async (tx) => {
    const session = await tx.session.findUnique({ where: { id: sessionId }, select: { revokedAt: true, user: true } });
    if (!session || session.revokedAt) return null;
    await tx.session.update({ where: { id: sessionId }, data: { revokedAt: new Date(), revokedReason: "sign-out" } });
    await recordAuditEvent(tx, {
      actor: { user: session.user },
      action: "auth.sign-out",
      targetKind: "session",
      targetId: sessionId,
      details: {},
      outcome: "success",
      source,
    });
    return { userId: session.user.id };
  });
  forgetCachedSession(sessionId);
  return ended;
}

/** "Sign out everywhere": every session of the signed-in user, the current one included. */
export async function signOutEverywhere(db: Db, actor: SessionUser, source: AuditSource): Promise<{ revoked: number }> {
  const revoked = await db.$transaction((tx) => revokeUserSessionsIn(tx, { userId: actor.id, actor, reason: "sign-out-everywhere", source }));
  forgetCachedUser(actor.id);
  return { revoked };
}

/** An admin ending one session of another user (or their own). */
export async function revokeSessionAsAdmin(db: Db, actor: SessionUser, input: { userId: string; sessionId: string }, source: AuditSource): Promise<void> {
  await db.$transaction(async (tx) => {
    const { count } = await tx.session.updateMany({
      where: { id: input.sessionId, userId: input.userId, revokedAt: null },
      data: { revokedAt: new Date(), revokedById: actor.id, revokedReason: "admin" },
    });
    if (count === 0) {
      throw new AppError("NOT_FOUND", {
        message: `session ${input.sessionId} of user ${input.userId} not found or already ended`,
        userMessage: "That session has already ended.",
      });
    }
    await recordAuditEvent(tx, {
      actor: { user: actor },
      action: "session.revoke",
      targetKind: "session",
      targetId: input.sessionId,
      details: { userId: input.userId, reason: "admin" },
      outcome: "success",
      source,
    });
  });
  forgetCachedSession(input.sessionId);
}

/** An admin ending every session of a user. */
export async function revokeAllSessionsAsAdmin(db: Db, actor: SessionUser, input: { userId: string }, source: AuditSource): Promise<{ revoked: number }> {
  const revoked = await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true } });
    if (!user) throw new AppError("NOT_FOUND", { message: `user ${input.userId} not found`, userMessage: "That user no longer exists." });
    return revokeUserSessionsIn(tx, { userId: user.id, actor, reason: "admin", source });
  });
  forgetCachedUser(input.userId);
  return { revoked };
}

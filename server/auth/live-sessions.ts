import "server-only";

import type { PrismaClient } from "@/server/db/client";
import { ROLES, type Role } from "@/lib/auth/permissions";
import type { SessionUser } from "./session";

/**
 * How long this process trusts its last answer for a session id. Revocation on another portal
 * process therefore takes effect here within this bound; on this process it is immediate
 * (revoking drops the entry). Kept short because the read it saves is one primary-key lookup.
 */
export const LIVE_SESSION_CACHE_MS = 2_000;
const MAX_CACHED_SESSIONS = 5_000;
const TOUCH_INTERVAL_MS = 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface CachedSession {
  at: number;
  userId: string | null;
  user: SessionUser | null;
}

/**
 * The token says who signed in; the Session row says whether that sign-in still stands, and the
 * User row whether they may still act and with which role. One read answers both; a short cache
 * keeps it off most tRPC calls. One per process (runtime.ts), so the entry a revocation or a user
 * change drops is the one every bundle reads.
 */
export class LiveSessions {
  private readonly cache = new Map<string, CachedSession>();
  private readonly touchedAt = new Map<string, number>();

  /** The user behind session `sessionId`, or null when it is revoked, expired, or its user may not act. */
  async load(db: PrismaClient, sessionId: string, now = Date.now()): Promise<SessionUser | null> {
    const cached = this.cache.get(sessionId);
    if (cached && now - cached.at < LIVE_SESSION_CACHE_MS) return cached.user;
    if (!UUID.test(sessionId)) return null;
    const record = await db.session.findUnique({
      where: { id: sessionId },
      select: {
        revokedAt: true,
        expiresAt: true,
        user: { select: { id: true, email: true, name: true, role: true, disabled: true } },
      },
    });
    const account = record?.user;
    const live = record && !record.revokedAt && record.expiresAt.getTime() > now;
    const user =
      live && account && !account.disabled && (ROLES as readonly string[]).includes(account.role)
        ? { id: account.id, email: account.email, name: account.name, role: account.role as Role }
        : null;
    this.cache.delete(sessionId);
    this.cache.set(sessionId, { at: now, userId: account?.id ?? null, user });
    if (this.cache.size > MAX_CACHED_SESSIONS) this.cache.delete(this.cache.keys().next().value as string);
    return user;
  }

  /**
   * Records that the session was just used (the Users page shows it). Called when the idle window
   * is refreshed, and at most once a minute per session from this process, however often a
   * client that drops cookies sends the old token.
   */
  async touch(db: PrismaClient, sessionId: string, now = Date.now()): Promise<void> {
    const last = this.touchedAt.get(sessionId);
    if (last !== undefined && now - last < TOUCH_INTERVAL_MS) return;
    this.touchedAt.delete(sessionId);
    this.touchedAt.set(sessionId, now);
    if (this.touchedAt.size > MAX_CACHED_SESSIONS) this.touchedAt.delete(this.touchedAt.keys().next().value as string);
    await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { lastSeenAt: new Date(now) } });
  }

  forgetSession(sessionId: string): void {
    this.cache.delete(sessionId);
  }

  /** After a change to the user's role or access, or a revocation of all their sessions. */
  forgetUser(userId: string): void {
    for (const [sessionId, entry] of this.cache) if (entry.userId === userId) this.cache.delete(sessionId);
  }
}

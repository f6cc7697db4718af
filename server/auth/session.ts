import "server-only";

import { cookies, headers } from "next/headers";

import { getDb } from "@/server/db/client";
import { ROLES, type Role } from "@/lib/auth/permissions";
import { readSessionClaims, sessionRefreshCookie } from "@/server/auth/session-token";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface AppSession {
  user: SessionUser;
}

type Db = ReturnType<typeof getDb>;

/**
 * The token says who signed in; the database says whether they may still act and with which
 * role. A short cache keeps that lookup off the hot path of every tRPC call while role changes
 * and disabling still take effect within seconds (user-admin mutations drop the entry at once).
 */
const USER_CACHE_MS = 5_000;
const userCache = new Map<string, { at: number; user: SessionUser | null }>();

export function forgetCachedUser(userId: string): void {
  userCache.delete(userId);
}

export async function loadActiveUser(db: Db, userId: string, now = Date.now()): Promise<SessionUser | null> {
  const cached = userCache.get(userId);
  if (cached && now - cached.at < USER_CACHE_MS) return cached.user;
  const record = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, role: true, disabled: true },
  });
  const user =
    record && !record.disabled && (ROLES as readonly string[]).includes(record.role)
      ? { id: record.id, email: record.email, name: record.name, role: record.role as Role }
      : null;
  userCache.set(userId, { at: now, user });
  if (userCache.size > 5_000) userCache.delete(userCache.keys().next().value as string);
  return user;
}

/** Session for a request: null when there is no valid, unexpired token or the user is disabled. */
export async function getSessionFromHeaders(
  requestHeaders: Headers,
  requestCookies?: Parameters<typeof readSessionClaims>[1],
): Promise<AppSession | null> {
  const read = await readSessionClaims(requestHeaders, requestCookies);
  if (!read) return null;
  const user = await loadActiveUser(getDb(), read.claims.uid);
  return user ? { user } : null;
}

/** For API routes the proxy skips: the session plus the Set-Cookie that keeps it from going idle. */
export async function getApiSession(requestHeaders: Headers): Promise<{ session: AppSession | null; refreshCookie: string | null }> {
  const read = await readSessionClaims(requestHeaders);
  if (!read) return { session: null, refreshCookie: null };
  const user = await loadActiveUser(getDb(), read.claims.uid);
  if (!user) return { session: null, refreshCookie: null };
  return { session: { user }, refreshCookie: await sessionRefreshCookie(read) };
}

/** For server components and layouts. */
export async function getServerAuthSession(): Promise<AppSession | null> {
  return getSessionFromHeaders(await headers(), await cookies());
}

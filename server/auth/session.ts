import "server-only";

import { cookies, headers } from "next/headers";

import type { Role } from "@/lib/auth/permissions";
import { readSessionClaims, sessionRefreshCookie } from "@/server/auth/session-token";
import { runtime } from "@/server/runtime";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface AppSession {
  user: SessionUser;
}

/** Whether the user may still act, and with which role (the process's ActiveUsers cache). */
export function loadActiveUser(userId: string): Promise<SessionUser | null> {
  const { activeUsers, db } = runtime();
  return activeUsers.load(db, userId);
}

/** After a change to the user's role or access, so the next request reads it. */
export function forgetCachedUser(userId: string): void {
  runtime().activeUsers.forget(userId);
}

/** Session for a request: null when there is no valid, unexpired token or the user is disabled. */
export async function getSessionFromHeaders(
  requestHeaders: Headers,
  requestCookies?: Parameters<typeof readSessionClaims>[1],
): Promise<AppSession | null> {
  const read = await readSessionClaims(requestHeaders, requestCookies);
  if (!read) return null;
  const user = await loadActiveUser(read.claims.uid);
  return user ? { user } : null;
}

/** For API routes the proxy skips: the session plus the Set-Cookie that keeps it from going idle. */
export async function getApiSession(requestHeaders: Headers): Promise<{ session: AppSession | null; refreshCookie: string | null }> {
  const read = await readSessionClaims(requestHeaders);
  if (!read) return { session: null, refreshCookie: null };
  const user = await loadActiveUser(read.claims.uid);
  if (!user) return { session: null, refreshCookie: null };
  return { session: { user }, refreshCookie: await sessionRefreshCookie(read) };
}

/** For server components and layouts. */
export async function getServerAuthSession(): Promise<AppSession | null> {
  return getSessionFromHeaders(await headers(), await cookies());
}

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

/** The user of a standing session, with their current role (the process's LiveSessions cache). */
export function loadLiveSession(sessionId: string): Promise<SessionUser | null> {
  const { liveSessions, db } = runtime();
  return liveSessions.load(db, sessionId);
}

/** After a change to the user's role or access, so the next request of any of their sessions reads it. */
export function forgetCachedUser(userId: string): void {
  runtime().liveSessions.forgetUser(userId);
}

/** After a session ended on this process, so its next request is refused at once. */
export function forgetCachedSession(sessionId: string): void {
  runtime().liveSessions.forgetSession(sessionId);
}

/** Session for a request: null without a valid, unexpired token whose session still stands. */
export async function getSessionFromHeaders(requestHeaders: Headers, requestCookies?: Parameters<typeof readSessionClaims>[1]): Promise<AppSession | null> {
  const read = await readSessionClaims(requestHeaders, requestCookies);
  if (!read) return null;
  const user = await loadLiveSession(read.claims.sid);
  return user && user.id === read.claims.uid ? { user } : null;
}

/** For API routes the proxy skips: the session plus the Set-Cookie that keeps it from going idle. */
export async function getApiSession(requestHeaders: Headers): Promise<{ session: AppSession | null; refreshCookie: string | null }> {
  const read = await readSessionClaims(requestHeaders);
  if (!read) return { session: null, refreshCookie: null };
  const user = await loadLiveSession(read.claims.sid);
  if (!user || user.id !== read.claims.uid) return { session: null, refreshCookie: null };
  const refreshCookie = await sessionRefreshCookie(read);
  if (refreshCookie) {
    const { liveSessions, db } = runtime();
    await liveSessions.touch(db, read.claims.sid);
  }
  return { session: { user }, refreshCookie };
}

/** For server components and layouts. */
export async function getServerAuthSession(): Promise<AppSession | null> {
  return getSessionFromHeaders(await headers(), await cookies());
}

import { encode, getToken, type JWT } from "next-auth/jwt";

import { env } from "@/server/env";
import type { Role } from "@/server/auth/permissions";

/**
 * The session lives in next-auth's encrypted JWT cookie. These helpers read it the same way in
 * proxy.ts, route handlers and server components, and enforce both expiries everywhere, so a
 * request with an idle or too-old token is refused even if the browser still sends the cookie.
 */

export interface SessionClaims {
  uid: string;
  role: Role;
  email: string;
  name?: string | null;
  /** Epoch seconds of the sign-in; the absolute expiry counts from here. */
  authTime: number;
  /** Epoch seconds of the last request seen; the idle expiry counts from here. */
  lastSeen: number;
}

export type SessionExpiry = "idle" | "absolute";

export const useSecureCookies = env.NEXTAUTH_URL?.startsWith("https://") ?? false;
export const SESSION_COOKIE_NAME = `${useSecureCookies ? "__Secure-" : ""}next-auth.session-token`;
export const SESSION_MAX_AGE_SECONDS = env.SESSION_MAX_HOURS * 3600;
export const SESSION_IDLE_SECONDS = env.SESSION_IDLE_MINUTES * 60;
/** Refreshing lastSeen on every request would rewrite the cookie constantly; once a minute is plenty. */
export const LAST_SEEN_REFRESH_SECONDS = 60;

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function sessionExpiry(
  claims: Pick<SessionClaims, "authTime" | "lastSeen">,
  now: number,
  limits: { idleSeconds: number; maxAgeSeconds: number } = {
    idleSeconds: SESSION_IDLE_SECONDS,
    maxAgeSeconds: SESSION_MAX_AGE_SECONDS,
  },
): SessionExpiry | null {
  if (now - claims.authTime >= limits.maxAgeSeconds) return "absolute";
  if (now - claims.lastSeen >= limits.idleSeconds) return "idle";
  return null;
}

export function claimsFromToken(token: JWT | null): SessionClaims | null {
  if (!token) return null;
  const { uid, role, email, authTime, lastSeen } = token as Partial<SessionClaims>;
  if (typeof uid !== "string" || typeof role !== "string" || typeof email !== "string") return null;
  if (typeof authTime !== "number" || typeof lastSeen !== "number") return null;
  return { uid, role, email, name: typeof token.name === "string" ? token.name : null, authTime, lastSeen };
}

type CookieSource = { getAll(): { name: string; value: string }[] } | Map<string, string>;

/** Decodes the session cookie and returns its claims, or null when missing, invalid or expired. */
export async function readSessionClaims(
  headers: Headers,
  cookies?: CookieSource,
): Promise<{ claims: SessionClaims; token: JWT } | null> {
  const token = await getToken({
    req: { headers, cookies: cookies ?? parseCookieHeader(headers.get("cookie")) } as never,
    secret: env.NEXTAUTH_SECRET,
    secureCookie: useSecureCookies,
    cookieName: SESSION_COOKIE_NAME,
    logger: { error: () => {}, warn: () => {}, debug: () => {} } as never,
  });
  const claims = claimsFromToken(token);
  if (!token || !claims || sessionExpiry(claims, nowSeconds())) return null;
  return { claims, token };
}

/** Re-encodes the token with a fresh lastSeen; the caller sets it as the session cookie. */
export async function encodeRefreshedToken(token: JWT, now: number): Promise<string> {
  return encode({ token: { ...token, lastSeen: now }, secret: env.NEXTAUTH_SECRET, maxAge: SESSION_MAX_AGE_SECONDS });
}

export function parseCookieHeader(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const separator = part.indexOf("=");
    if (separator <= 0) continue;
    const name = part.slice(0, separator).trim();
    const raw = part.slice(separator + 1).trim();
    try {
      cookies.set(name, decodeURIComponent(raw));
    } catch {
      cookies.set(name, raw);
    }
  }
  return cookies;
}

import "server-only";

import { encode, getToken, type JWT } from "next-auth/jwt";

import { env } from "@/server/env";
import type { Role } from "@/lib/auth/permissions";

/**
 * The session lives in next-auth's encrypted JWT cookie. These helpers read it the same way in
 * proxy.ts, route handlers and server components, and enforce both expiries everywhere, so a
 * request with an idle or too-old token is refused even if the browser still sends the cookie.
 */

export interface SessionClaims {
  uid: string;
  /** The Session row this token belongs to; revoking the row ends the token on every process. */
  sid: string;
  role: Role;
  email: string;
  name?: string | null;
  /** Epoch seconds of the sign-in; the absolute expiry counts from here. */
  authTime: number;
  /** Epoch seconds of the last request seen; the idle expiry counts from here. */
  lastSeen: number;
}

/** "future": a sign-in or last-seen time ahead of the clock, which no token this portal issued has. */
export type SessionExpiry = "idle" | "absolute" | "future";

/** How far a token's times may run ahead of this process's clock (replicas' clocks differ a little). */
export const CLOCK_SKEW_SECONDS = 60;

export const useSecureCookies = env.NEXTAUTH_URL?.startsWith("https://") ?? false;
export const SESSION_COOKIE_NAME = `${useSecureCookies ? "__Secure-" : ""}next-auth.session-token`;
export const SESSION_MAX_AGE_SECONDS = env.SESSION_MAX_HOURS * 3600;
const SESSION_IDLE_SECONDS = env.SESSION_IDLE_MINUTES * 60;
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
  // Both expiries count from these times, so a time in the future would stretch them at will.
  if (claims.authTime > now + CLOCK_SKEW_SECONDS || claims.lastSeen > now + CLOCK_SKEW_SECONDS) return "future";
  if (now - claims.authTime >= limits.maxAgeSeconds) return "absolute";
  if (now - claims.lastSeen >= limits.idleSeconds) return "idle";
  return null;
}

export function claimsFromToken(token: JWT | null): SessionClaims | null {
  if (!token) return null;
  const { uid, sid, role, email, authTime, lastSeen } = token as Partial<SessionClaims>;
  // A token from before sessions had rows carries no sid; it cannot be revoked, so it is refused.
  if (typeof uid !== "string" || typeof sid !== "string" || typeof role !== "string" || typeof email !== "string") return null;
  if (typeof authTime !== "number" || typeof lastSeen !== "number") return null;
  return { uid, sid, role, email, name: typeof token.name === "string" ? token.name : null, authTime, lastSeen };
}

type CookieSource = { getAll(): { name: string; value: string }[] } | Map<string, string>;

/**
 * Decoding a next-auth token (HKDF key derivation + JWE decryption) costs more than the rest of a
 * cached tRPC query, and a browser sends the same token with every request until it is refreshed
 * (at most once a minute). Decoded tokens are therefore remembered briefly by their exact value;
 * both expiries are still checked against the clock on every call.
 */
const DECODED_TTL_MS = 30_000;
const DECODED_MAX = 2_000;
const decodedTokens = new Map<string, { at: number; token: JWT | null }>();

async function decodeSessionCookie(raw: string | undefined, headers: Headers, cookies: CookieSource): Promise<JWT | null> {
  const now = Date.now();
  const cached = raw ? decodedTokens.get(raw) : undefined;
  if (cached && now - cached.at < DECODED_TTL_MS) return cached.token;
  const token = await getToken({
    req: { headers, cookies } as never,
    secret: env.NEXTAUTH_SECRET,
    secureCookie: useSecureCookies,
    cookieName: SESSION_COOKIE_NAME,
    logger: { error: () => {}, warn: () => {}, debug: () => {} } as never,
  });
  if (raw) {
    if (decodedTokens.size >= DECODED_MAX) decodedTokens.delete(decodedTokens.keys().next().value as string);
    decodedTokens.set(raw, { at: now, token });
  }
  return token;
}

function cookieValue(cookies: CookieSource, name: string): string | undefined {
  if (cookies instanceof Map) return cookies.get(name);
  return cookies.getAll().find((cookie) => cookie.name === name)?.value;
}

/** Decodes the session cookie and returns its claims, or null when missing, invalid or expired. */
export async function readSessionClaims(headers: Headers, cookies?: CookieSource): Promise<{ claims: SessionClaims; token: JWT } | null> {
  const source = cookies ?? parseCookieHeader(headers.get("cookie"));
  // next-auth splits large tokens into numbered chunks; only a single-chunk token is memoised.
  const raw = cookieValue(source, SESSION_COOKIE_NAME);
  const token = await decodeSessionCookie(raw, headers, source);
  const claims = claimsFromToken(token);
  if (!token || !claims || sessionExpiry(claims, nowSeconds())) return null;
  return { claims, token };
}

/** Re-encodes the token with a fresh lastSeen; the caller sets it as the session cookie. */
export async function encodeRefreshedToken(token: JWT, now: number): Promise<string> {
  return encode({ token: { ...token, lastSeen: now }, secret: env.NEXTAUTH_SECRET, maxAge: SESSION_MAX_AGE_SECONDS });
}

/**
 * The Set-Cookie header that extends an active session's idle window, or null while the token's
 * lastSeen is recent. proxy.ts does this for pages; the tRPC route, which the proxy skips, for API calls.
 */
export async function sessionRefreshCookie(read: { claims: SessionClaims; token: JWT }, now = nowSeconds()): Promise<string | null> {
  if (now - read.claims.lastSeen < LAST_SEEN_REFRESH_SECONDS) return null;
  // A client that does not store cookies (a script, a load test, parallel requests racing the
  // first refresh) keeps sending the old token; encrypting a new one for each of its requests
  // would cost more than the query. Decoded tokens are shared objects (decodeSessionCookie), so
  // the refresh issued for one is reused briefly; its lastSeen is at most that much behind.
  const issued = issuedRefreshes.get(read.token);
  if (issued && now - issued.at < REFRESH_REUSE_SECONDS) return issued.cookie;
  const value = await encodeRefreshedToken(read.token, now);
  const cookie = `${SESSION_COOKIE_NAME}=${value}; Path=/; Max-Age=${SESSION_MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax${useSecureCookies ? "; Secure" : ""}`;
  issuedRefreshes.set(read.token, { at: now, cookie });
  return cookie;
}

const REFRESH_REUSE_SECONDS = 30;
const issuedRefreshes = new WeakMap<JWT, { at: number; cookie: string }>();

function parseCookieHeader(header: string | null): Map<string, string> {
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

import { describe, expect, it } from "vitest";

import { claimsFromToken, sessionExpiry } from "@/server/auth/session-token";

const limits = { idleSeconds: 60 * 60, maxAgeSeconds: 12 * 3600 };

describe("sessionExpiry", () => {
  const authTime = 1_000_000;

  it("keeps an active session alive", () => {
    expect(sessionExpiry({ authTime, lastSeen: authTime + 3000 }, authTime + 3600, limits)).toBeNull();
  });

  it("ends a session idle for longer than the idle limit", () => {
    expect(sessionExpiry({ authTime, lastSeen: authTime }, authTime + 3600, limits)).toBe("idle");
  });

  it("ends any session after the absolute limit, however active", () => {
    const now = authTime + 12 * 3600;
    expect(sessionExpiry({ authTime, lastSeen: now - 1 }, now, limits)).toBe("absolute");
  });

  it("refuses a token whose sign-in or last-seen time lies in the future", () => {
    const now = authTime + 100;
    expect(sessionExpiry({ authTime: now + 3600, lastSeen: now + 3600 }, now, limits)).toBe("future");
    expect(sessionExpiry({ authTime, lastSeen: now + 10 * 365 * 86_400 }, now, limits)).toBe("future");
    expect(sessionExpiry({ authTime: now + 120, lastSeen: now }, now, limits)).toBe("future");
  });

  it("allows a minute of clock skew between portal processes", () => {
    const now = authTime + 100;
    expect(sessionExpiry({ authTime: now + 30, lastSeen: now + 30 }, now, limits)).toBeNull();
  });
});

describe("claimsFromToken", () => {
  it("rejects tokens without the portal's claims", () => {
    expect(claimsFromToken(null)).toBeNull();
    expect(claimsFromToken({ sub: "x", email: "a@b.c" })).toBeNull();
    expect(claimsFromToken({ uid: "u1", sid: "s1", role: "viewer", email: "a@b.c", name: "A", authTime: 1, lastSeen: 2 })).toEqual({
      uid: "u1",
      sid: "s1",
      role: "viewer",
      email: "a@b.c",
      name: "A",
      authTime: 1,
      lastSeen: 2,
    });
  });

  it("refuses a token without a session id, which nothing could revoke", () => {
    expect(claimsFromToken({ uid: "u1", role: "viewer", email: "a@b.c", name: "A", authTime: 1, lastSeen: 2 })).toBeNull();
  });
});

describe("readSessionClaims and sessionRefreshCookie", () => {
  async function cookieFor(claims: { authTime: number; lastSeen: number }): Promise<Headers> {
    const { encode } = await import("next-auth/jwt");
    const { env } = await import("@/server/env");
    const { SESSION_COOKIE_NAME } = await import("@/server/auth/session-token");
    const value = await encode({ token: { uid: "u1", sid: "s1", role: "operator", email: "op@x.test", ...claims }, secret: env.NEXTAUTH_SECRET });
    return new Headers({ cookie: `${SESSION_COOKIE_NAME}=${value}` });
  }

  it("reads the same token again (from its memo) and still applies the expiries to it", async () => {
    const { readSessionClaims, nowSeconds } = await import("@/server/auth/session-token");
    const now = nowSeconds();
    const headers = await cookieFor({ authTime: now - 10, lastSeen: now - 10 });
    expect((await readSessionClaims(headers))?.claims.uid).toBe("u1");
    expect((await readSessionClaims(headers))?.claims.role).toBe("operator");

    const idle = await cookieFor({ authTime: now - 100_000, lastSeen: now - 100_000 });
    expect(await readSessionClaims(idle)).toBeNull();
    expect(await readSessionClaims(idle)).toBeNull();
    expect(await readSessionClaims(new Headers({ cookie: "next-auth.session-token=not-a-token" }))).toBeNull();
  });

  it("asks for a refreshed cookie only once lastSeen is a minute old, and the new cookie reads back", async () => {
    const { readSessionClaims, sessionRefreshCookie, nowSeconds, SESSION_COOKIE_NAME } = await import("@/server/auth/session-token");
    const now = nowSeconds();
    const fresh = await readSessionClaims(await cookieFor({ authTime: now - 120, lastSeen: now - 5 }));
    expect(await sessionRefreshCookie(fresh!, now)).toBeNull();

    const older = await readSessionClaims(await cookieFor({ authTime: now - 120, lastSeen: now - 90 }));
    const setCookie = await sessionRefreshCookie(older!, now);
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE_NAME.replace(/\./g, "\\.")}=[^;]+; Path=/; Max-Age=\\d+; HttpOnly; SameSite=Lax`));
    const reread = await readSessionClaims(new Headers({ cookie: setCookie!.split(";")[0] }));
    expect(reread?.claims.lastSeen).toBe(now);
  });

  it("gives a client that keeps sending the old token the same refresh for 30 s, then a new one", async () => {
    const { readSessionClaims, sessionRefreshCookie, nowSeconds } = await import("@/server/auth/session-token");
    const now = nowSeconds();
    const stale = await cookieFor({ authTime: now - 300, lastSeen: now - 90 });
    const first = await sessionRefreshCookie((await readSessionClaims(stale))!, now);
    const again = await sessionRefreshCookie((await readSessionClaims(stale))!, now + 29);
    expect(again).toBe(first);
    const later = await sessionRefreshCookie((await readSessionClaims(stale))!, now + 31);
    expect(later).not.toBe(first);
    const reread = await readSessionClaims(new Headers({ cookie: later!.split(";")[0] }));
    expect(reread?.claims.lastSeen).toBe(now + 31);
  });
});

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
});

describe("claimsFromToken", () => {
  it("rejects tokens without the portal's claims", () => {
    expect(claimsFromToken(null)).toBeNull();
    expect(claimsFromToken({ sub: "x", email: "a@b.c" })).toBeNull();
    expect(
      claimsFromToken({ uid: "u1", role: "viewer", email: "a@b.c", name: "A", authTime: 1, lastSeen: 2 }),
    ).toEqual({ uid: "u1", role: "viewer", email: "a@b.c", name: "A", authTime: 1, lastSeen: 2 });
  });
});

import { describe, expect, it } from "vitest";

import { ACCOUNT_SOURCE_POLICY, effectiveFailures, lockoutMs, retryAfterMs, SignInThrottle, type ThrottlePolicy } from "@/server/auth/sign-in-throttle";
import { testDatabaseBackends, useTestDatabase } from "@/scripts/test-support/test-database";
import { parseRateLimitedError, rateLimitedError } from "@/lib/auth/sign-in-message";

const policy: ThrottlePolicy = { freeAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 60_000, resetAfterMs: 600_000 };

describe("lockoutMs", () => {
  it("allows the free attempts, then doubles the wait up to the cap", () => {
    expect([0, 1, 2, 3].map((n) => lockoutMs(n, policy))).toEqual([0, 0, 0, 0]);
    expect([4, 5, 6, 7].map((n) => lockoutMs(n, policy))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(lockoutMs(20, policy)).toBe(60_000);
    expect(lockoutMs(10_000, policy)).toBe(60_000);
  });
});

describe("retryAfterMs", () => {
  const t0 = 1_700_000_000_000;

  it("is zero with no failures or only free ones", () => {
    expect(retryAfterMs({ failures: 0, lastFailedAt: null }, t0, policy)).toBe(0);
    expect(retryAfterMs({ failures: 3, lastFailedAt: new Date(t0) }, t0, policy)).toBe(0);
  });

  it("counts the lockout from the last failure", () => {
    const state = { failures: 5, lastFailedAt: new Date(t0) };
    expect(retryAfterMs(state, t0, policy)).toBe(2_000);
    expect(retryAfterMs(state, t0 + 1_500, policy)).toBe(500);
    expect(retryAfterMs(state, t0 + 2_000, policy)).toBe(0);
  });

  it("forgets failures after the quiet period", () => {
    const state = { failures: 50, lastFailedAt: t0 };
    expect(effectiveFailures(state, t0 + policy.resetAfterMs - 1, policy)).toBe(50);
    expect(effectiveFailures(state, t0 + policy.resetAfterMs, policy)).toBe(0);
    expect(retryAfterMs(state, t0 + policy.resetAfterMs, policy)).toBe(0);
  });

  it("slows an email from one address after the fourth wrong password with the real policy", () => {
    expect(retryAfterMs({ failures: 4, lastFailedAt: t0 }, t0, ACCOUNT_SOURCE_POLICY)).toBe(ACCOUNT_SOURCE_POLICY.baseDelayMs);
  });
});

describe.each(testDatabaseBackends)("SignInThrottle over the database ($name)", ({ postgresUrl }) => {
  const db = useTestDatabase({ emptyBeforeEach: ["signInThrottle"], postgresUrl });
  const t0 = Date.parse("2026-01-01T00:00:00Z");
  const policies = { "account+source": policy, source: { ...policy, freeAttempts: 6 } };
  const from = (address: string, email = "a@test.local") => ({ email, address });

  it("shares the counters between two portal processes on one database", async () => {
    const first = new SignInThrottle(policies);
    const second = new SignInThrottle(policies);
    await first.recordFailure(db, from("10.0.0.1"), t0);
    await second.recordFailure(db, from("10.0.0.1"), t0);
    await first.recordFailure(db, from("10.0.0.1"), t0);
    await second.recordFailure(db, from("10.0.0.1"), t0);
    expect(await first.retryAfterMs(db, from("10.0.0.1"), t0)).toBe(1_000);
    expect(await second.retryAfterMs(db, from("10.0.0.1"), t0)).toBe(1_000);
  });

  it("counts concurrent failures without losing any", async () => {
    const throttle = new SignInThrottle(policies);
    await Promise.all(Array.from({ length: 8 }, () => throttle.recordFailure(db, from("10.0.0.9"), t0)));
    const row = await db.signInThrottle.findUniqueOrThrow({ where: { scope_key: { scope: "account+source", key: "a@test.local|10.0.0.9" } } });
    expect(row.failures).toBe(8);
  });

  it("slows one email from one address without touching another address or another email", async () => {
    const throttle = new SignInThrottle(policies);
    for (let i = 0; i < 4; i++) await throttle.recordFailure(db, from("10.0.0.1"), t0);
    expect(await throttle.retryAfterMs(db, from("10.0.0.1"), t0)).toBe(1_000);
    expect(await throttle.retryAfterMs(db, from("10.0.0.2"), t0)).toBe(0);
    expect(await throttle.retryAfterMs(db, from("10.0.0.1", "b@test.local"), t0)).toBe(0);
  });

  it("caps all failures from one address, and a success forgives only its own email", async () => {
    const throttle = new SignInThrottle(policies);
    for (let i = 0; i < 7; i++) await throttle.recordFailure(db, from("10.0.0.1", `u${i}@test.local`), t0);
    expect(await throttle.retryAfterMs(db, from("10.0.0.1", "fresh@test.local"), t0)).toBe(1_000);
    await throttle.recordSuccess(db, from("10.0.0.1", "u0@test.local"));
    expect(await throttle.retryAfterMs(db, from("10.0.0.1", "fresh@test.local"), t0)).toBe(1_000);
  });

  it("starts again at one failure after the quiet period", async () => {
    const throttle = new SignInThrottle(policies);
    for (let i = 0; i < 5; i++) await throttle.recordFailure(db, from("10.0.0.1"), t0);
    await throttle.recordFailure(db, from("10.0.0.1"), t0 + policy.resetAfterMs);
    const row = await db.signInThrottle.findUniqueOrThrow({ where: { scope_key: { scope: "account+source", key: "a@test.local|10.0.0.1" } } });
    expect(row.failures).toBe(1);
  });
});

describe("rate-limited error text", () => {
  it("round-trips whole seconds, rounding up", () => {
    expect(rateLimitedError(4_100)).toBe("RATE_LIMITED:5");
    expect(parseRateLimitedError(rateLimitedError(4_100))).toBe(5);
    expect(parseRateLimitedError("CredentialsSignin")).toBeNull();
    expect(parseRateLimitedError(undefined)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";

import {
  ACCOUNT_POLICY,
  effectiveFailures,
  IpThrottle,
  lockoutMs,
  retryAfterMs,
  type ThrottlePolicy,
} from "@/server/auth/sign-in-throttle";
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

  it("locks an account after the fourth wrong password with the real policy", () => {
    expect(retryAfterMs({ failures: 4, lastFailedAt: t0 }, t0, ACCOUNT_POLICY)).toBe(ACCOUNT_POLICY.baseDelayMs);
  });
});

describe("IpThrottle", () => {
  it("slows one address without affecting another, and forgives on success", () => {
    const throttle = new IpThrottle(policy);
    const t0 = 1_000_000;
    for (let i = 0; i < 4; i++) throttle.recordFailure("10.0.0.1", t0);
    expect(throttle.retryAfterMs("10.0.0.1", t0)).toBe(1_000);
    expect(throttle.retryAfterMs("10.0.0.2", t0)).toBe(0);
    throttle.recordFailure("10.0.0.1", t0 + 1_000);
    expect(throttle.retryAfterMs("10.0.0.1", t0 + 1_000)).toBe(2_000);
    throttle.recordSuccess("10.0.0.1");
    expect(throttle.retryAfterMs("10.0.0.1", t0 + 1_000)).toBe(0);
  });

  it("stays bounded by evicting the stalest address", () => {
    const throttle = new IpThrottle({ ...policy, freeAttempts: 0 }, 2);
    throttle.recordFailure("a", 1);
    throttle.recordFailure("b", 2);
    throttle.recordFailure("c", 3);
    expect(throttle.retryAfterMs("a", 3)).toBe(0);
    expect(throttle.retryAfterMs("c", 3)).toBeGreaterThan(0);
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

import "server-only";

/**
 * Slows down password guessing: after a few free attempts every further failure doubles the
 * wait before the next attempt is even checked (a temporary lockout), per account and per IP.
 * Account counts live in the database (User.failedSignIns / lastFailedSignInAt) so they survive
 * restarts; IP counts live in memory, which is enough to blunt spraying across accounts.
 */

export interface ThrottlePolicy {
  /** Failures allowed before any wait applies. */
  freeAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A quiet period after which old failures are forgotten. */
  resetAfterMs: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = {
  freeAttempts: 3,
  baseDelayMs: 5_000,
  maxDelayMs: 15 * 60_000,
  resetAfterMs: 60 * 60_000,
};

const IP_POLICY: ThrottlePolicy = {
  freeAttempts: 10,
  baseDelayMs: 2_000,
  maxDelayMs: 15 * 60_000,
  resetAfterMs: 60 * 60_000,
};

export interface FailureState {
  failures: number;
  lastFailedAt: Date | number | null;
}

/** How long the lockout lasts after the given number of consecutive failures. */
export function lockoutMs(failures: number, policy: ThrottlePolicy): number {
  const over = failures - policy.freeAttempts;
  if (over <= 0) return 0;
  // 2 ** 30 already exceeds any sane cap; stop there to keep the number finite.
  return Math.min(policy.baseDelayMs * 2 ** Math.min(over - 1, 30), policy.maxDelayMs);
}

/** Failures that still count at `now` (0 once the quiet period has passed). */
export function effectiveFailures(state: FailureState, now: number, policy: ThrottlePolicy): number {
  if (!state.lastFailedAt || state.failures <= 0) return 0;
  const last = typeof state.lastFailedAt === "number" ? state.lastFailedAt : state.lastFailedAt.getTime();
  return now - last >= policy.resetAfterMs ? 0 : state.failures;
}

/** Milliseconds until another attempt may be checked; 0 when allowed now. */
export function retryAfterMs(state: FailureState, now: number, policy: ThrottlePolicy): number {
  const failures = effectiveFailures(state, now, policy);
  if (failures === 0 || !state.lastFailedAt) return 0;
  const last = typeof state.lastFailedAt === "number" ? state.lastFailedAt : state.lastFailedAt.getTime();
  return Math.max(0, last + lockoutMs(failures, policy) - now);
}

/** In-memory per-IP failure counts, bounded so a flood of addresses cannot grow it forever. */
export class IpThrottle {
  private readonly entries = new Map<string, { failures: number; lastFailedAt: number }>();

  constructor(
    private readonly policy: ThrottlePolicy = IP_POLICY,
    private readonly maxEntries = 10_000,
  ) {}

  retryAfterMs(ip: string, now: number): number {
    const entry = this.entries.get(ip);
    return entry ? retryAfterMs(entry, now, this.policy) : 0;
  }

  recordFailure(ip: string, now: number): void {
    const entry = this.entries.get(ip);
    const failures = entry ? effectiveFailures(entry, now, this.policy) + 1 : 1;
    this.entries.delete(ip);
    this.entries.set(ip, { failures, lastFailedAt: now });
    if (this.entries.size > this.maxEntries) {
      // Map keeps insertion order and we re-insert on every failure: the first key is the stalest.
      const stalest = this.entries.keys().next().value;
      if (stalest !== undefined) this.entries.delete(stalest);
    }
  }

  recordSuccess(ip: string): void {
    this.entries.delete(ip);
  }
}

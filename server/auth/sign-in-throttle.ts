import "server-only";

import type { PrismaClient } from "@/server/db/generated/client";

/**
 * Slows down password guessing without handing anyone a lockout weapon. Two counters, both in
 * the database so every portal process shares them:
 * - "account+source": failures for one email from one client address. After a few free attempts
 *   every further failure doubles the wait before that address may try that email again. Another
 *   address, the real user's, is never slowed by it.
 * - "source": all failures from one address, whatever the email, with more free attempts; it
 *   blunts one address spraying many accounts.
 * The keys never depend on whether the email has an account, so unknown and known emails get the
 * same answers. A success forgives only its own account+source counter (an attacker with one
 * valid account must not be able to wipe their address's count).
 */

export interface ThrottlePolicy {
  /** Failures allowed before any wait applies. */
  freeAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A quiet period after which old failures are forgotten. */
  resetAfterMs: number;
}

export const ACCOUNT_SOURCE_POLICY: ThrottlePolicy = {
  freeAttempts: 3,
  baseDelayMs: 5_000,
  maxDelayMs: 15 * 60_000,
  resetAfterMs: 60 * 60_000,
};

export const SOURCE_POLICY: ThrottlePolicy = {
  freeAttempts: 30,
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

export interface SignInAttemptKey {
  /** Normalised (trimmed, lower-case) email as typed, whether or not an account has it. */
  email: string;
  /** The client address (server/http/client-address.ts). */
  address: string;
}

type ThrottleScope = "account+source" | "source";

/** Rows idle for longer than every policy's quiet period are deleted this often. */
const PRUNE_INTERVAL_MS = 10 * 60_000;

/** The database-backed counters; stateless apart from when it last pruned, so any number may share a database. */
export class SignInThrottle {
  private lastPrunedAt = 0;

  constructor(
    private readonly policies: Record<ThrottleScope, ThrottlePolicy> = {
      "account+source": ACCOUNT_SOURCE_POLICY,
      source: SOURCE_POLICY,
    },
  ) {}

  private keys(attempt: SignInAttemptKey): { scope: ThrottleScope; key: string }[] {
    return [
      { scope: "account+source", key: `${attempt.email}|${attempt.address}` },
      { scope: "source", key: attempt.address },
    ];
  }

  /** Milliseconds until this address may try this email again; 0 when it may now. */
  async retryAfterMs(db: PrismaClient, attempt: SignInAttemptKey, now: number): Promise<number> {
    const rows = await db.signInThrottle.findMany({ where: { OR: this.keys(attempt) } });
    let wait = 0;
    for (const row of rows) {
      const policy = this.policies[row.scope as ThrottleScope];
      if (policy) wait = Math.max(wait, retryAfterMs(row, now, policy));
    }
    return wait;
  }

  /**
   * Counts a failure on both counters, each in one statement so concurrent failures on any number
   * of processes all count; a counter idle past its quiet period starts again at 1.
   */
  async recordFailure(db: PrismaClient, attempt: SignInAttemptKey, now: number): Promise<void> {
    const at = new Date(now);
    for (const { scope, key } of this.keys(attempt)) {
      const forgetBefore = new Date(now - this.policies[scope].resetAfterMs);
      await db.$executeRaw`
        INSERT INTO "SignInThrottle" ("scope", "key", "failures", "lastFailedAt") VALUES (${scope}, ${key}, 1, ${at})
        ON CONFLICT ("scope", "key") DO UPDATE SET
          "failures" = CASE WHEN "SignInThrottle"."lastFailedAt" <= ${forgetBefore} THEN 1 ELSE "SignInThrottle"."failures" + 1 END,
          "lastFailedAt" = GREATEST("SignInThrottle"."lastFailedAt", EXCLUDED."lastFailedAt")`;
    }
    await this.pruneNowAndThen(db, now);
  }

  /** The right password forgives this email from this address; the address's own count stays. */
  async recordSuccess(db: PrismaClient, attempt: SignInAttemptKey): Promise<void> {
    const [accountSource] = this.keys(attempt);
    await db.signInThrottle.deleteMany({ where: accountSource });
  }

  private async pruneNowAndThen(db: PrismaClient, now: number): Promise<void> {
    if (now - this.lastPrunedAt < PRUNE_INTERVAL_MS) return;
    this.lastPrunedAt = now;
    const longest = Math.max(...Object.values(this.policies).map((policy) => policy.resetAfterMs));
    await db.signInThrottle.deleteMany({ where: { lastFailedAt: { lt: new Date(now - longest) } } });
  }
}

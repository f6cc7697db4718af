import "server-only";

import { recordAuditEvent, type AuditSource } from "@/server/audit/audit-log";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import type { Role } from "@/lib/auth/permissions";
import type { SignInThrottle } from "@/server/auth/sign-in-throttle";
import { rateLimitedError } from "@/lib/auth/sign-in-message";
import type { PrismaClient } from "@/server/db/client";

type Db = PrismaClient;

/** Hash of a throwaway password so unknown emails take as long to reject as wrong passwords. */
let decoyHash: Promise<string> | undefined;
function getDecoyHash(): Promise<string> {
  return (decoyHash ??= hashPassword("decoy-password-never-valid"));
}

export interface CredentialsUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface CredentialsAttempt {
  email: string;
  password: string;
  /** The client address (server/http/client-address.ts); the throttle counts per address. */
  address: string;
  userAgent?: string;
}

/**
 * Checks a local email + password sign-in. Returns the user, null for wrong credentials, or
 * throws an Error whose message next-auth hands to the sign-in page: `RATE_LIMITED:<seconds>`
 * while this address is slowed down for this email (or overall), `AccountDisabled` for a
 * disabled account. Known and unknown emails take the same path: the same throttle keys, one
 * password hash check, one audit row.
 */
export async function checkCredentials(db: Db, attempt: CredentialsAttempt, deps: { throttle: SignInThrottle; now?: number }): Promise<CredentialsUser | null> {
  const now = deps.now ?? Date.now();
  const email = attempt.email.trim().toLowerCase();
  if (!email || !attempt.password) return null;
  const key = { email, address: attempt.address };
  const source: AuditSource = { address: attempt.address, userAgent: attempt.userAgent };

  const wait = await deps.throttle.retryAfterMs(db, key, now);
  if (wait > 0) {
    await recordAuditEvent(db, {
      actor: { name: email },
      action: "auth.sign-in.throttled",
      targetKind: "email",
      targetId: email,
      details: { retryAfterSeconds: Math.ceil(wait / 1000) },
      outcome: "denied",
      source,
    });
    throw new Error(rateLimitedError(wait));
  }

  const user = await db.user.findUnique({ where: { email } });
  const passwordOk =
    user?.authProvider === "local" && user.passwordHash
      ? await verifyPassword(attempt.password, user.passwordHash)
      : (await verifyPassword(attempt.password, await getDecoyHash()), false);

  if (!user || !passwordOk) {
    await deps.throttle.recordFailure(db, key, now);
    await recordAuditEvent(db, {
      actor: { name: email },
      action: "auth.sign-in",
      targetKind: "email",
      targetId: email,
      details: { reason: "wrong-credentials" },
      outcome: "failure",
      source,
    });
    return null;
  }
  await deps.throttle.recordSuccess(db, key);
  // Said only after a correct password, so it tells a guesser nothing.
  if (user.disabled) {
    await recordAuditEvent(db, {
      actor: { user },
      action: "auth.sign-in",
      targetKind: "user",
      targetId: user.id,
      details: { reason: "account-disabled" },
      outcome: "denied",
      source,
    });
    throw new Error("AccountDisabled");
  }
  // The successful sign-in is audited with the session it opens (portal-sessions.ts).
  return { id: user.id, email: user.email, name: user.name, role: user.role as Role };
}

import "server-only";

import { hashPassword, verifyPassword } from "@/server/auth/password";
import type { Role } from "@/lib/auth/permissions";
import {
  ACCOUNT_POLICY,
  effectiveFailures,
  type IpThrottle,
  retryAfterMs,
} from "@/server/auth/sign-in-throttle";
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

/**
 * Checks a local email + password sign-in. Returns the user, null for wrong credentials, or
 * throws an Error whose message next-auth hands to the sign-in page: `RATE_LIMITED:<seconds>`
 * while the account or the address is locked out, `AccountDisabled` for a disabled account.
 */
export async function checkCredentials(
  db: Db,
  attempt: { email: string; password: string; ip: string },
  deps: { ipThrottle: IpThrottle; now?: number },
): Promise<CredentialsUser | null> {
  const now = deps.now ?? Date.now();
  const email = attempt.email.trim().toLowerCase();
  const ipWait = deps.ipThrottle.retryAfterMs(attempt.ip, now);
  if (ipWait > 0) throw new Error(rateLimitedError(ipWait));
  if (!email || !attempt.password) return null;

  const user = await db.user.findUnique({ where: { email } });
  if (user) {
    const wait = retryAfterMs({ failures: user.failedSignIns, lastFailedAt: user.lastFailedSignInAt }, now, ACCOUNT_POLICY);
    if (wait > 0) throw new Error(rateLimitedError(wait));
  }

  const passwordOk =
    user?.authProvider === "local" && user.passwordHash
      ? await verifyPassword(attempt.password, user.passwordHash)
      : (await verifyPassword(attempt.password, await getDecoyHash()), false);

  if (!user || !passwordOk) {
    deps.ipThrottle.recordFailure(attempt.ip, now);
    if (user) {
      const counted = effectiveFailures({ failures: user.failedSignIns, lastFailedAt: user.lastFailedSignInAt }, now, ACCOUNT_POLICY);
      await db.user.update({
        where: { id: user.id },
        data: { failedSignIns: counted === 0 ? 1 : { increment: 1 }, lastFailedSignInAt: new Date(now) },
      });
    }
    return null;
  }
  // Said only after a correct password, so it tells a guesser nothing.
  if (user.disabled) throw new Error("AccountDisabled");

  deps.ipThrottle.recordSuccess(attempt.ip);
  if (user.failedSignIns !== 0 || user.lastFailedSignInAt) {
    await db.user.update({ where: { id: user.id }, data: { failedSignIns: 0, lastFailedSignInAt: null } });
  }
  return { id: user.id, email: user.email, name: user.name, role: user.role as Role };
}

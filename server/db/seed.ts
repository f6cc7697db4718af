import "server-only";

// Demo sign-ins for `npm run demo` and the E2E suite.
import { recordAuditEvent } from "@/server/audit/audit-log";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "@/server/auth/demo-accounts";
import { hashPassword } from "@/server/auth/password";

import type { PrismaClient } from "./generated/client";

export interface SeedResult {
  created: string[];
  existing: string[];
}

const displayName = (email: string) => {
  const local = email.split("@")[0];
  return `Demo ${local.charAt(0).toUpperCase()}${local.slice(1)}`;
};

/**
 * Creates the demo accounts (admin@fleetdeck.local, operator@..., pm@..., viewer@...; password
 * "fleetdeck-demo") that do not exist yet. Existing accounts are left alone, so a role or
 * password changed on the Users page survives the next `npm run demo`.
 */
export async function seedDemoUsers(db: PrismaClient): Promise<SeedResult> {
  const present = new Set(
    (await db.user.findMany({ where: { email: { in: DEMO_ACCOUNTS.map((a) => a.email) } }, select: { email: true } })).map((u) => u.email),
  );
  const missing = DEMO_ACCOUNTS.filter((account) => !present.has(account.email));
  const hashes = await Promise.all(missing.map(() => hashPassword(DEMO_PASSWORD)));
  if (missing.length > 0) {
    await db.$transaction(async (tx) => {
      await tx.user.createMany({
        data: missing.map((account, index) => ({
          email: account.email,
          name: displayName(account.email),
          role: account.role,
          authProvider: "local" as const,
          passwordHash: hashes[index],
        })),
        skipDuplicates: true,
      });
      await recordAuditEvent(tx, {
        actor: { name: "system" },
        action: "users.seed-demo",
        targetKind: "user",
        targetId: missing.map((a) => a.email).join(","),
        details: { created: missing.map((a) => a.email) },
      });
    });
  }
  return { created: missing.map((a) => a.email), existing: [...present] };
}

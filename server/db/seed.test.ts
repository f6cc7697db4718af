import { describe, expect, it } from "vitest";

import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "@/server/auth/demo-accounts";
import { verifyPassword } from "@/server/auth/password";

import { seedDemoUsers } from "./seed";
import { useTestDatabase } from "@/scripts/test-support/test-database";

describe("seedDemoUsers", () => {
  const db = useTestDatabase();

  it("creates one local account per role with the demo password, once", async () => {
    const first = await seedDemoUsers(db);
    expect(first.created.sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.email).sort());

    const users = await db.user.findMany({ orderBy: { email: "asc" } });
    expect(users.map((u) => [u.email, u.role, u.authProvider])).toEqual(
      DEMO_ACCOUNTS.map((a) => [a.email, a.role, "local"]).sort((a, b) => a[0].localeCompare(b[0])),
    );
    expect(await verifyPassword(DEMO_PASSWORD, users[0].passwordHash!)).toBe(true);

    await db.user.update({ where: { email: "viewer@fleetdeck.local" }, data: { role: "pm" } });
    const second = await seedDemoUsers(db);
    expect(second.created).toEqual([]);
    expect(await db.user.count()).toBe(DEMO_ACCOUNTS.length);
    expect((await db.user.findUniqueOrThrow({ where: { email: "viewer@fleetdeck.local" } })).role).toBe("pm");
    expect(await db.auditEvent.count({ where: { action: "users.seed-demo" } })).toBe(1);
  });
});

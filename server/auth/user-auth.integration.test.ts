import { beforeEach, describe, expect, it } from "vitest";

import { checkCredentials } from "@/server/auth/credentials";
import { hashPassword } from "@/server/auth/password";
import { parseRateLimitedError } from "@/lib/auth/sign-in-message";
import { IpThrottle } from "@/server/auth/sign-in-throttle";
import type { SessionUser } from "@/server/auth/session";
import { createLocalUser, listUsers, resetUserPassword, setUserDisabled, setUserRole } from "@/server/auth/user-admin";
import { useTestDatabase } from "@/scripts/test-support/test-database";

const db = useTestDatabase({ emptyBeforeEach: ["auditEvent", "user"] });
let admin: SessionUser;

beforeEach(async () => {
  const record = await db.user.create({
    data: { email: "root@test.local", name: "Root", role: "admin", passwordHash: await hashPassword("root-password-123") },
  });
  admin = { id: record.id, email: record.email, name: record.name, role: "admin" };
});

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { userMessage?: string }).userMessage ?? (error as Error).message;
  }
  throw new Error("expected a rejection");
}

describe("checkCredentials", () => {
  const ip = "192.0.2.10";

  it("signs in with the right password and refuses a wrong one", async () => {
    const ipThrottle = new IpThrottle();
    expect(await checkCredentials(db, { email: "ROOT@test.local ", password: "root-password-123", ip }, { ipThrottle })).toMatchObject({
      email: "root@test.local",
      role: "admin",
    });
    expect(await checkCredentials(db, { email: "root@test.local", password: "nope", ip }, { ipThrottle })).toBeNull();
    expect(await checkCredentials(db, { email: "nobody@test.local", password: "nope", ip }, { ipThrottle })).toBeNull();
  });

  it("counts failures in the database and locks the account with a growing wait", async () => {
    const t0 = Date.parse("2026-01-01T00:00:00Z");
    const attempt = (password: string, now: number, from = ip) =>
      checkCredentials(db, { email: "root@test.local", password, ip: from }, { ipThrottle: new IpThrottle(), now });

    for (let i = 0; i < 4; i++) expect(await attempt("wrong", t0)).toBeNull();
    const user = await db.user.findUniqueOrThrow({ where: { email: "root@test.local" } });
    expect(user.failedSignIns).toBe(4);

    // Locked for 5 s: even the right password is not checked, from any address.
    expect(parseRateLimitedError(await rejection(attempt("root-password-123", t0 + 1_000, "198.51.100.7")))).toBe(4);
    expect(await attempt("wrong", t0 + 5_000)).toBeNull();
    expect(parseRateLimitedError(await rejection(attempt("root-password-123", t0 + 5_000)))).toBe(10);

    // After the wait the right password works and clears the count.
    expect(await attempt("root-password-123", t0 + 15_000)).not.toBeNull();
    expect((await db.user.findUniqueOrThrow({ where: { email: "root@test.local" } })).failedSignIns).toBe(0);
  });

  it("slows down one address spraying many accounts", async () => {
    const ipThrottle = new IpThrottle();
    const now = Date.parse("2026-01-01T00:00:00Z");
    for (let i = 0; i < 11; i++) {
      expect(await checkCredentials(db, { email: `user${i}@test.local`, password: "x", ip }, { ipThrottle, now })).toBeNull();
    }
    const message = await rejection(checkCredentials(db, { email: "root@test.local", password: "x", ip }, { ipThrottle, now }));
    expect(parseRateLimitedError(message)).toBeGreaterThan(0);
  });

  it("tells a disabled user only after the right password", async () => {
    await db.user.update({ where: { email: "root@test.local" }, data: { disabled: true } });
    const ipThrottle = new IpThrottle();
    expect(await checkCredentials(db, { email: "root@test.local", password: "wrong", ip }, { ipThrottle })).toBeNull();
    expect(await rejection(checkCredentials(db, { email: "root@test.local", password: "root-password-123", ip }, { ipThrottle }))).toBe(
      "AccountDisabled",
    );
  });
});

describe("user administration", () => {
  it("creates a local user who can sign in, and audits it without the password", async () => {
    const created = await createLocalUser(db, admin, { email: "Ops@Test.local", name: "Ops", role: "operator", password: "ops-password-123" });
    expect(created).toMatchObject({ email: "ops@test.local", role: "operator", authProvider: "local", disabled: false });
    expect(await checkCredentials(db, { email: "ops@test.local", password: "ops-password-123", ip: "x" }, { ipThrottle: new IpThrottle() })).not.toBeNull();
    const events = await db.auditEvent.findMany();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "user.create", actorEmail: "root@test.local", targetKind: "user", targetId: created.id });
    expect(JSON.stringify(events[0].details)).not.toContain("ops-password");
    expect((await listUsers(db)).map((u) => u.email)).toEqual(["ops@test.local", "root@test.local"]);
  });

  it("refuses a duplicate email", async () => {
    expect(await rejection(createLocalUser(db, admin, { email: "root@test.local", name: "X", role: "viewer", password: "another-password" }))).toMatch(/exists/);
  });

  it("changes roles and audits from/to, but an admin cannot drop their own admin role", async () => {
    const pm = await createLocalUser(db, admin, { email: "pm@test.local", name: "PM", role: "pm", password: "pm-password-1234" });
    expect((await setUserRole(db, admin, { userId: pm.id, role: "viewer" })).role).toBe("viewer");
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "user.role.change" } });
    expect(event.details).toMatchObject({ from: "pm", to: "viewer" });
    expect(await rejection(setUserRole(db, admin, { userId: admin.id, role: "operator" }))).toMatch(/own admin role/);
  });

  it("keeps at least one active admin", async () => {
    const second = await createLocalUser(db, admin, { email: "a2@test.local", name: "A2", role: "admin", password: "admin2-password-1" });
    const secondActor: SessionUser = { id: second.id, email: second.email, name: second.name, role: "admin" };
    // Demoting the first admin is fine while the second one remains...
    await setUserRole(db, secondActor, { userId: admin.id, role: "viewer" });
    // ...but the first (now viewer) cannot be used to remove the last one: the domain refuses it.
    expect(await rejection(setUserDisabled(db, admin, { userId: second.id, disabled: true }))).toMatch(/last active admin/);
  });

  it("disables and re-enables a user; disabling yourself is refused", async () => {
    const viewer = await createLocalUser(db, admin, { email: "v@test.local", name: "V", role: "viewer", password: "viewer-password-1" });
    expect((await setUserDisabled(db, admin, { userId: viewer.id, disabled: true })).disabled).toBe(true);
    expect((await setUserDisabled(db, admin, { userId: viewer.id, disabled: false })).disabled).toBe(false);
    expect(await rejection(setUserDisabled(db, admin, { userId: admin.id, disabled: true }))).toMatch(/your own account/);
    expect((await db.auditEvent.findMany({ orderBy: { at: "asc" } })).map((e) => e.action)).toEqual([
      "user.create",
      "user.disable",
      "user.enable",
    ]);
  });

  it("resets a local password and refuses it for single sign-on users", async () => {
    const viewer = await createLocalUser(db, admin, { email: "v@test.local", name: "V", role: "viewer", password: "viewer-password-1" });
    await resetUserPassword(db, admin, { userId: viewer.id, password: "brand-new-password" });
    const ipThrottle = new IpThrottle();
    expect(await checkCredentials(db, { email: "v@test.local", password: "brand-new-password", ip: "y" }, { ipThrottle })).not.toBeNull();
    const sso = await db.user.create({ data: { email: "sso@test.local", name: "SSO", role: "viewer", authProvider: "oidc" } });
    expect(await rejection(resetUserPassword(db, admin, { userId: sso.id, password: "whatever-password" }))).toMatch(/single sign-on/);
  });
});

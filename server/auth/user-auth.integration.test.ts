import { beforeEach, describe, expect, it } from "vitest";

import { checkCredentials } from "@/server/auth/credentials";
import { hashPassword } from "@/server/auth/password";
import { parseRateLimitedError } from "@/lib/auth/sign-in-message";
import { SignInThrottle } from "@/server/auth/sign-in-throttle";
import type { SessionUser } from "@/server/auth/session";
import { createLocalUser, listUsers, resetUserPassword, setUserDisabled, setUserRole } from "@/server/auth/user-admin";
import { useTestDatabase } from "@/scripts/test-support/test-database";

const db = useTestDatabase({ emptyBeforeEach: ["auditEvent", "session", "signInThrottle", "user"] });
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
  const t0 = Date.parse("2026-01-01T00:00:00Z");
  const attempt = (email: string, password: string, address: string, now: number, throttle = new SignInThrottle()) =>
    checkCredentials(db, { email, password, address }, { throttle, now });

  it("signs in with the right password and refuses a wrong one", async () => {
    const throttle = new SignInThrottle();
    expect(await attempt("ROOT@test.local ", "root-password-123", ip, t0, throttle)).toMatchObject({
      email: "root@test.local",
      role: "admin",
    });
    expect(await attempt("root@test.local", "nope", ip, t0, throttle)).toBeNull();
    expect(await attempt("nobody@test.local", "nope", ip, t0, throttle)).toBeNull();
  });

  it("slows the guessing address down with a growing wait, but the right password from elsewhere still works", async () => {
    for (let i = 0; i < 4; i++) expect(await attempt("root@test.local", "wrong", ip, t0)).toBeNull();

    // The guesser's address waits 5 s, even with the right password...
    expect(parseRateLimitedError(await rejection(attempt("root@test.local", "root-password-123", ip, t0 + 1_000)))).toBe(4);
    // ...while the owner, from their own address, is never refused because of it.
    expect(await attempt("root@test.local", "root-password-123", "198.51.100.7", t0 + 1_000)).not.toBeNull();

    expect(await attempt("root@test.local", "wrong", ip, t0 + 5_000)).toBeNull();
    expect(parseRateLimitedError(await rejection(attempt("root@test.local", "root-password-123", ip, t0 + 5_000)))).toBe(10);
    // After the wait the right password works from the guessing address too, and forgives it.
    expect(await attempt("root@test.local", "root-password-123", ip, t0 + 15_000)).not.toBeNull();
    expect(await db.signInThrottle.count({ where: { scope: "account+source" } })).toBe(0);
  });

  it("answers an unknown email exactly as a known one, attempt by attempt", async () => {
    const outcomes = async (email: string, address: string) => {
      const seen: string[] = [];
      for (let i = 0; i < 6; i++) {
        try {
          seen.push(String(await attempt(email, "wrong-password", address, t0 + i * 1_000)));
        } catch (error) {
          seen.push((error as Error).message);
        }
      }
      return seen;
    };
    const known = await outcomes("root@test.local", "203.0.113.1");
    const unknown = await outcomes("nobody@test.local", "203.0.113.2");
    expect(unknown).toEqual(known);
    expect(known.some((outcome) => parseRateLimitedError(outcome) !== null)).toBe(true);
    // One audit row per attempt either way, neither naming an account the unknown email lacks.
    const rows = await db.auditEvent.findMany({ where: { action: { startsWith: "auth.sign-in" } } });
    expect(rows.filter((row) => row.actorEmail === "root@test.local")).toHaveLength(6);
    expect(rows.filter((row) => row.actorEmail === "nobody@test.local")).toHaveLength(6);
    expect(rows.every((row) => row.actorId === null)).toBe(true);
  });

  it("caps one address spraying many accounts", async () => {
    const throttle = new SignInThrottle();
    for (let i = 0; i < 31; i++) expect(await attempt(`user${i}@test.local`, "x", ip, t0, throttle)).toBeNull();
    expect(parseRateLimitedError(await rejection(attempt("root@test.local", "root-password-123", ip, t0, throttle)))).toBeGreaterThan(0);
    expect(await attempt("root@test.local", "root-password-123", "198.51.100.7", t0, throttle)).not.toBeNull();
  });

  it("audits failures and throttled attempts with their outcome and source", async () => {
    await checkCredentials(db, { email: "root@test.local", password: "wrong", address: ip, userAgent: "curl/8" }, { throttle: new SignInThrottle(), now: t0 });
    const [row] = await db.auditEvent.findMany();
    expect(row).toMatchObject({ action: "auth.sign-in", actorEmail: "root@test.local", outcome: "failure", sourceAddress: ip, userAgent: "curl/8" });
  });

  it("tells a disabled user only after the right password", async () => {
    await db.user.update({ where: { email: "root@test.local" }, data: { disabled: true } });
    expect(await attempt("root@test.local", "wrong", ip, t0)).toBeNull();
    expect(await rejection(attempt("root@test.local", "root-password-123", ip, t0))).toBe("AccountDisabled");
  });
});

describe("user administration", () => {
  it("creates a local user who can sign in, and audits it without the password", async () => {
    const created = await createLocalUser(db, admin, { email: "Ops@Test.local", name: "Ops", role: "operator", password: "ops-password-123" });
    expect(created).toMatchObject({ email: "ops@test.local", role: "operator", authProvider: "local", disabled: false });
    expect(
      await checkCredentials(db, { email: "ops@test.local", password: "ops-password-123", address: "x" }, { throttle: new SignInThrottle() }),
    ).not.toBeNull();
    const events = await db.auditEvent.findMany();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "user.create", actorEmail: "root@test.local", targetKind: "user", targetId: created.id });
    expect(JSON.stringify(events[0].details)).not.toContain("ops-password");
    expect((await listUsers(db)).map((u) => u.email)).toEqual(["ops@test.local", "root@test.local"]);
  });

  it("refuses a duplicate email", async () => {
    expect(await rejection(createLocalUser(db, admin, { email: "root@test.local", name: "X", role: "viewer", password: "another-password" }))).toMatch(
      /exists/,
    );
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
    expect((await db.auditEvent.findMany({ orderBy: { at: "asc" } })).map((e) => e.action)).toEqual(["user.create", "user.disable", "user.enable"]);
  });

  it("resets a local password and refuses it for single sign-on users", async () => {
    const viewer = await createLocalUser(db, admin, { email: "v@test.local", name: "V", role: "viewer", password: "viewer-password-1" });
    await resetUserPassword(db, admin, { userId: viewer.id, password: "brand-new-password" });
    expect(
      await checkCredentials(db, { email: "v@test.local", password: "brand-new-password", address: "y" }, { throttle: new SignInThrottle() }),
    ).not.toBeNull();
    const sso = await db.user.create({ data: { email: "sso@test.local", name: "SSO", role: "viewer", authProvider: "oidc" } });
    expect(await rejection(resetUserPassword(db, admin, { userId: sso.id, password: "whatever-password" }))).toMatch(/single sign-on/);
  });
});

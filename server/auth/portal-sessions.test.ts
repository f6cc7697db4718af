import { beforeEach, describe, expect, it } from "vitest";

import { hashPassword } from "@/server/auth/password";
import { LIVE_SESSION_CACHE_MS, LiveSessions } from "@/server/auth/live-sessions";
import {
  listActiveSessions,
  revokeAllSessionsAsAdmin,
  revokeSessionAsAdmin,
  signOutEverywhere,
  signOutSession,
  startSession,
} from "@/server/auth/portal-sessions";
import type { SessionUser } from "@/server/auth/session";
import { resetUserPassword, setUserDisabled, setUserRole } from "@/server/auth/user-admin";
import { runtime } from "@/server/runtime";
import { testDatabaseBackends, useTestDatabase } from "@/scripts/test-support/test-database";

const source = { address: "192.0.2.1", userAgent: "test-agent" };
/** This test process's own cache: the one the revocations drop. */
const thisProcess = () => runtime().liveSessions;

describe.each(testDatabaseBackends)("sessions ($name)", ({ postgresUrl }) => {
  const db = useTestDatabase({
    emptyBeforeEach: ["auditEvent", "session", "user"],
    postgresUrl,
  });
  let admin: SessionUser;
  let viewer: SessionUser;

  async function makeUser(email: string, role: SessionUser["role"]): Promise<SessionUser> {
    const record = await db.user.create({
      data: {
        email,
        name: email,
        role,
        passwordHash: await hashPassword("a-password-of-length"),
      },
    });
    return { id: record.id, email: record.email, name: record.name, role };
  }

  function open(user: SessionUser, expiresAt = new Date(Date.now() + 3_600_000)): Promise<string> {
    return db.$transaction((tx) => startSession(tx, { user, provider: "credentials", source, expiresAt }));
  }

  beforeEach(async () => {
    admin = await makeUser("root@test.local", "admin");
    viewer = await makeUser("viewer@test.local", "viewer");
  });

  it("opens a session row with its source and audits the sign-in with it", async () => {
    const sid = await open(viewer);
    expect(await thisProcess().load(db, sid)).toEqual(viewer);
    const row = await db.session.findUniqueOrThrow({ where: { id: sid } });
    expect(row).toMatchObject({
      userId: viewer.id,
      sourceAddress: "192.0.2.1",
      userAgent: "test-agent",
      revokedAt: null,
    });
    const event = await db.auditEvent.findFirstOrThrow({
      where: { action: "auth.sign-in" },
    });
    expect(event).toMatchObject({
      actorId: viewer.id,
      targetKind: "session",
      targetId: sid,
    });
    expect(event).toMatchObject({ outcome: "success", sourceAddress: source.address, userAgent: source.userAgent });
  });

  it("refuses an expired session and one that never existed", async () => {
    const sid = await open(viewer, new Date(Date.now() - 1_000));
    expect(await new LiveSessions().load(db, sid)).toBeNull();
    expect(await new LiveSessions().load(db, "00000000-0000-4000-8000-000000000000")).toBeNull();
    expect(await new LiveSessions().load(db, "not-a-uuid")).toBeNull();
  });

  it("sign-out ends the session at once here and within the cache bound on another process", async () => {
    const sid = await open(viewer);
    const otherProcess = new LiveSessions();
    const now = Date.now();
    expect(await thisProcess().load(db, sid, now)).toEqual(viewer);
    expect(await otherProcess.load(db, sid, now)).toEqual(viewer);

    expect(await signOutSession(db, sid, source)).toEqual({
      userId: viewer.id,
    });
    expect(await thisProcess().load(db, sid, now)).toBeNull();
    // The other process answers from its cache until the bound, then reads the revocation.
    expect(await otherProcess.load(db, sid, now + LIVE_SESSION_CACHE_MS - 1)).toEqual(viewer);
    expect(await otherProcess.load(db, sid, now + LIVE_SESSION_CACHE_MS)).toBeNull();

    expect(await signOutSession(db, sid, source)).toBeNull();
    const row = await db.session.findUniqueOrThrow({ where: { id: sid } });
    expect(row).toMatchObject({ revokedReason: "sign-out" });
    expect(
      await db.auditEvent.count({
        where: { action: "auth.sign-out", targetId: sid },
      }),
    ).toBe(1);
  });

  it("sign out everywhere ends every session of the user and no one else's", async () => {
    const [first, second, others] = [await open(viewer), await open(viewer), await open(admin)];
    expect(await signOutEverywhere(db, viewer, source)).toEqual({ revoked: 2 });
    const otherProcess = new LiveSessions();
    expect(await otherProcess.load(db, first)).toBeNull();
    expect(await otherProcess.load(db, second)).toBeNull();
    expect(await otherProcess.load(db, others)).toEqual(admin);
    expect(await listActiveSessions(db, viewer.id)).toEqual([]);
    const event = await db.auditEvent.findFirstOrThrow({
      where: { action: "session.revoke-all" },
    });
    expect(event).toMatchObject({ actorId: viewer.id, targetId: viewer.id });
    expect(event.details).toMatchObject({
      reason: "sign-out-everywhere",
      sessions: 2,
    });
  });

  it("lets an admin list a user's sessions and revoke one or all", async () => {
    const [first, second, third] = [await open(viewer), await open(viewer), await open(viewer)];
    const listed = await listActiveSessions(db, viewer.id);
    expect(listed.map((session) => session.id).sort()).toEqual([first, second, third].sort());
    expect(listed[0]).toMatchObject({
      sourceAddress: "192.0.2.1",
      userAgent: "test-agent",
    });

    await revokeSessionAsAdmin(db, admin, { userId: viewer.id, sessionId: first }, source);
    expect((await listActiveSessions(db, viewer.id)).map((session) => session.id).sort()).toEqual([second, third].sort());
    expect(await db.session.findUniqueOrThrow({ where: { id: first } })).toMatchObject({ revokedById: admin.id, revokedReason: "admin" });
    // Naming the session under another user, or one already ended, is refused.
    await expect(revokeSessionAsAdmin(db, admin, { userId: admin.id, sessionId: second }, source)).rejects.toThrow(/not found/);
    await expect(revokeSessionAsAdmin(db, admin, { userId: viewer.id, sessionId: first }, source)).rejects.toThrow(/not found/);

    expect(await revokeAllSessionsAsAdmin(db, admin, { userId: viewer.id }, source)).toEqual({ revoked: 2 });
    expect(await listActiveSessions(db, viewer.id)).toEqual([]);
    expect(
      (
        await db.auditEvent.findMany({
          where: { action: { startsWith: "session." } },
        })
      )
        .map((e) => e.action)
        .sort(),
    ).toEqual(["session.revoke", "session.revoke-all"]);
  });

  it("disabling a user or resetting their password ends their sessions in the same change", async () => {
    const beforeDisable = await open(viewer);
    const otherProcess = new LiveSessions();
    await setUserDisabled(db, admin, { userId: viewer.id, disabled: true });
    expect(await thisProcess().load(db, beforeDisable)).toBeNull();
    expect(await db.session.findUniqueOrThrow({ where: { id: beforeDisable } })).toMatchObject({ revokedReason: "user-disabled" });
    // Re-enabling does not bring the old session back.
    await setUserDisabled(db, admin, { userId: viewer.id, disabled: false });
    expect(await otherProcess.load(db, beforeDisable)).toBeNull();

    const beforeReset = await open(viewer);
    await resetUserPassword(db, admin, {
      userId: viewer.id,
      password: "a-brand-new-password",
    });
    expect(await otherProcess.load(db, beforeReset)).toBeNull();
    expect(await db.session.findUniqueOrThrow({ where: { id: beforeReset } })).toMatchObject({ revokedReason: "password-reset" });
  });

  it("a role change shows on the next request of this process", async () => {
    const sid = await open(viewer);
    expect((await thisProcess().load(db, sid))?.role).toBe("viewer");
    await setUserRole(db, admin, { userId: viewer.id, role: "operator" });
    expect((await thisProcess().load(db, sid))?.role).toBe("operator");
  });

  it("records when a session was last used, at most once a minute", async () => {
    const sid = await open(viewer);
    const live = new LiveSessions();
    const t0 = Date.now() + 120_000;
    await live.touch(db, sid, t0);
    expect((await db.session.findUniqueOrThrow({ where: { id: sid } })).lastSeenAt.getTime()).toBe(t0);
    await live.touch(db, sid, t0 + 30_000);
    expect((await db.session.findUniqueOrThrow({ where: { id: sid } })).lastSeenAt.getTime()).toBe(t0);
    await live.touch(db, sid, t0 + 60_000);
    expect((await db.session.findUniqueOrThrow({ where: { id: sid } })).lastSeenAt.getTime()).toBe(t0 + 60_000);
  });
});

import { describe, expect, it } from "vitest";

import { useTestDatabase } from "@/scripts/test-support/test-database";

import { recordAuditEvent } from "./audit-log";

const db = useTestDatabase({ emptyBeforeEach: ["auditEvent", "user"] });

const newUser = { email: "new@test.local", name: "New", role: "viewer", authProvider: "local" } as const;

describe("recordAuditEvent", () => {
  it("links a user actor to the account and names any other actor by name alone", async () => {
    const user = await db.user.create({ data: newUser });
    await recordAuditEvent(db, { actor: { user }, action: "test.user", targetKind: "user", targetId: user.id, details: {} });
    await recordAuditEvent(db, { actor: { name: "cli@fleetdeck.local" }, action: "test.named", targetKind: "registry", targetId: "eu-1", details: {} });

    const events = await db.auditEvent.findMany({ orderBy: { at: "asc" } });
    expect(events.map(({ actorId, actorEmail, action }) => ({ actorId, actorEmail, action }))).toEqual([
      { actorId: user.id, actorEmail: "new@test.local", action: "test.user" },
      { actorId: null, actorEmail: "cli@fleetdeck.local", action: "test.named" },
    ]);
  });

  it("drops undefined details instead of failing on them", async () => {
    await recordAuditEvent(db, {
      actor: { name: "system" },
      action: "test.details",
      targetKind: "user",
      targetId: "x",
      details: { kept: 1, dropped: undefined },
    });
    expect((await db.auditEvent.findFirstOrThrow()).details).toEqual({ kept: 1 });
  });

  it("writes the outcome and the source in their own columns, not in details", async () => {
    await recordAuditEvent(db, {
      actor: { name: "someone@test.local" },
      action: "test.denied",
      targetKind: "procedure",
      targetId: "users.list",
      outcome: "denied",
      source: { address: "203.0.113.7", userAgent: "Mozilla/5.0 (test)" },
      details: { permission: "users:manage" },
    });
    await recordAuditEvent(db, { actor: { name: "system" }, action: "test.plain", targetKind: "user", targetId: "x", details: {} });

    const [denied, plain] = await db.auditEvent.findMany({ orderBy: { at: "asc" } });
    expect(denied).toMatchObject({ outcome: "denied", sourceAddress: "203.0.113.7", userAgent: "Mozilla/5.0 (test)", details: { permission: "users:manage" } });
    expect(plain).toMatchObject({ outcome: "success", sourceAddress: null, userAgent: null, details: {} });
  });

  it("refuses to change or remove a row, but lets deleting a user clear its actorId", async () => {
    const user = await db.user.create({ data: newUser });
    await recordAuditEvent(db, { actor: { user }, action: "test.kept", targetKind: "user", targetId: user.id, details: {} });
    const { id } = await db.auditEvent.findFirstOrThrow();

    await expect(db.auditEvent.update({ where: { id }, data: { action: "test.rewritten" } })).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.update({ where: { id }, data: { actorId: null, actorEmail: "someone-else@test.local" } })).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.delete({ where: { id } })).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe('TRUNCATE "AuditEvent"')).rejects.toThrow(/append-only/);

    await db.user.delete({ where: { id: user.id } });
    expect(await db.auditEvent.findUniqueOrThrow({ where: { id } })).toMatchObject({ actorId: null, actorEmail: "new@test.local", action: "test.kept" });
  });

  it("commits with the transaction of the change", async () => {
    await db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: newUser });
      await recordAuditEvent(tx, { actor: { name: "system" }, action: "test.commit", targetKind: "user", targetId: user.id, details: {} });
    });
    expect(await db.user.count()).toBe(1);
    expect(await db.auditEvent.count()).toBe(1);
  });

  it("rolls back with the transaction of the change", async () => {
    const failed = db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: newUser });
      await recordAuditEvent(tx, { actor: { name: "system" }, action: "test.rollback", targetKind: "user", targetId: user.id, details: {} });
      throw new Error("the change failed after its audit row was written");
    });
    await expect(failed).rejects.toThrow("the change failed after its audit row was written");
    expect(await db.user.count()).toBe(0);
    expect(await db.auditEvent.count()).toBe(0);
  });
});

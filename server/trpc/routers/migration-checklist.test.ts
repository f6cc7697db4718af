import { beforeEach, describe, expect, it } from "vitest";

import { MAX_EVIDENCE_FILE_BYTES } from "@/lib/migration/checklist";
import type { Role } from "@/lib/auth/permissions";
import type { AppSession } from "@/server/auth/session";
import { seedMigrationChecklist } from "@/server/migration/checklist/seed-checklist";
import { useTestDatabase } from "@/scripts/test-support/test-database";
import { createCallerFactory } from "@/server/trpc/init";
import { migrationChecklistRouter } from "@/server/trpc/routers/migration-checklist";

const db = useTestDatabase({ emptyBeforeEach: ["auditEvent", "migrationTask", "user"] });
const createCaller = createCallerFactory(migrationChecklistRouter);

async function callerAs(role: Role) {
  const user = await db.user.create({ data: { email: `${role}@test.local`, name: `Test ${role}`, role } });
  const session: AppSession = { user: { id: user.id, email: user.email, name: user.name, role } };
  return { user, caller: createCaller({ session, headers: new Headers(), db }) };
}

/** What the page would show: the AppError's userMessage, or the error's own message (zod, permissions). */
async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const cause = (error as { cause?: { userMessage?: string } }).cause;
    return cause?.userMessage ?? (error as Error).message;
  }
  throw new Error("the call was expected to be refused");
}

let pm: Awaited<ReturnType<typeof callerAs>>;
let taskId: string;

beforeEach(async () => {
  await seedMigrationChecklist(db, { planStart: "2027-01-04" });
  pm = await callerAs("pm");
  taskId = (await db.migrationTask.findFirstOrThrow({ where: { seedKey: "w1-infra-rke2" } })).id;
});

describe("migration checklist router", () => {
  it("lists the seeded tasks by week and filters by week, workstream, status, priority and owner", async () => {
    const all = await pm.caller.list();
    expect(all.length).toBeGreaterThanOrEqual(40);
    expect(all.map((task) => task.week)).toEqual([...all.map((task) => task.week)].sort((a, b) => a - b));
    const week7Testing = await pm.caller.list({ week: 7, workstream: "testing" });
    expect(week7Testing.length).toBeGreaterThan(0);
    expect(week7Testing.every((task) => task.week === 7 && task.workstream === "testing")).toBe(true);
    expect(week7Testing.find((task) => task.gateId === "runbook-succeeded-in-staging")?.gateKey).toBe("runbook-succeeded-in-staging:restart-instance");
    expect((await pm.caller.list({ priority: "nice-to-have" })).every((task) => task.priority === "nice-to-have")).toBe(true);
    expect(await pm.caller.list({ owner: pm.user.id })).toEqual([]);
    await pm.caller.update({ taskId, ownerId: pm.user.id });
    expect((await pm.caller.list({ owner: pm.user.id })).map((task) => task.id)).toEqual([taskId]);
    expect((await pm.caller.list({ owner: "none" })).some((task) => task.id === taskId)).toBe(false);
    expect((await pm.caller.list({ status: "todo" })).length).toBe(all.length);
  });

  it("an update writes one history row per changed field and one audit row, and the burn-up counts the task done", async () => {
    const before = await pm.caller.burnUp();
    expect(before.done).toBe(0);

    const result = await pm.caller.update({ taskId, ownerId: pm.user.id, dueDate: "2027-01-15", status: "done" });
    expect(result.changes.map((change) => change.field).sort()).toEqual(["dueDate", "owner", "status"]);
    expect(result.task).toMatchObject({ status: "done", dueDate: "2027-01-15", owner: { email: "pm@test.local" } });
    expect(result.task.doneAt).not.toBeNull();

    const detail = await pm.caller.get({ taskId });
    expect(detail.changes.map((change) => [change.field, change.fromValue, change.toValue, change.actorEmail]).sort()).toEqual([
      ["dueDate", "2027-01-10", "2027-01-15", "pm@test.local"],
      ["owner", null, "pm@test.local", "pm@test.local"],
      ["status", "todo", "done", "pm@test.local"],
    ]);
    const audit = await db.auditEvent.findMany({ where: { action: "migration.task-update" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorEmail: "pm@test.local", targetKind: "migration-task", targetId: taskId });

    const after = await pm.caller.burnUp();
    expect(after.done).toBe(1);
    expect(after.pacePerDay).toBeGreaterThan(0);
    expect(after.forecastDate).not.toBeNull();

    // The same values again change nothing and record nothing.
    expect((await pm.caller.update({ taskId, ownerId: pm.user.id, status: "done" })).changes).toEqual([]);
    expect(await db.migrationTaskChange.count({ where: { taskId } })).toBe(3);
    expect(await db.auditEvent.count({ where: { action: "migration.task-update" } })).toBe(1);
  });

  it("blocked needs a reason; leaving blocked clears it; an unknown owner or task is refused readably", async () => {
    await expect(pm.caller.update({ taskId, status: "blocked" })).rejects.toThrow(/Say why the task is blocked/);
    await expect(pm.caller.update({ taskId, status: "blocked", blockedReason: "   " })).rejects.toThrow(/Say why the task is blocked/);
    const blocked = await pm.caller.update({ taskId, status: "blocked", blockedReason: "Waiting for the nodes" });
    expect(blocked.task).toMatchObject({ status: "blocked", blockedReason: "Waiting for the nodes" });
    const moving = await pm.caller.update({ taskId, status: "in-progress" });
    expect(moving.task.blockedReason).toBeNull();
    expect(moving.changes.map((change) => change.field).sort()).toEqual(["blockedReason", "status"]);

    expect(await refusal(pm.caller.update({ taskId, ownerId: "00000000-0000-4000-8000-000000000009" }))).toMatch(/Choose an owner from the list/);
    await expect(pm.caller.update({ taskId: "00000000-0000-4000-8000-000000000009", status: "done" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(pm.caller.update({ taskId, dueDate: "2027-02-30" })).rejects.toThrow(/That date does not exist/);
  });

  it("adds and removes evidence (link, note, file) with history and audit; refuses bad links and files over the limit", async () => {
    const link = await pm.caller.addEvidence({ kind: "link", taskId, url: "https://ci.example.com/runs/42", title: "CI run" });
    await pm.caller.addEvidence({ kind: "note", taskId, note: "Checked with the cluster team." });
    const file = await pm.caller.addEvidence({
      kind: "file",
      taskId,
      fileName: "report.txt",
      contentType: "text/plain",
      contentBase64: Buffer.from("all green").toString("base64"),
    });
    expect(file).toMatchObject({ kind: "file", size: 9, fileName: "report.txt" });

    await expect(pm.caller.addEvidence({ kind: "link", taskId, url: "javascript:alert(1)" })).rejects.toThrow(/starts with http:\/\/ or https:\/\//);
    await expect(pm.caller.addEvidence({ kind: "link", taskId, url: "not a link" })).rejects.toThrow(/starts with http:\/\/ or https:\/\//);
    const tooLarge = Buffer.alloc(MAX_EVIDENCE_FILE_BYTES + 1, 1).toString("base64");
    expect(await refusal(pm.caller.addEvidence({ kind: "file", taskId, fileName: "big.bin", contentBase64: tooLarge }))).toBe(
      "The file is 5.00 MB; evidence files are at most 5 MB.",
    );

    let detail = await pm.caller.get({ taskId });
    expect(detail.evidence.map((item) => item.kind).sort()).toEqual(["file", "link", "note"]);
    expect(detail.evidenceCount).toBe(3);
    await pm.caller.removeEvidence({ evidenceId: link.id });
    expect(await refusal(pm.caller.removeEvidence({ evidenceId: link.id }))).toMatch(/already removed/);
    detail = await pm.caller.get({ taskId });
    expect(detail.evidence.map((item) => item.kind).sort()).toEqual(["file", "note"]);
    expect(detail.changes.filter((change) => change.field === "evidence").map((change) => [change.fromValue, change.toValue])).toContainEqual([
      "link: CI run",
      null,
    ]);
    expect(await db.auditEvent.count({ where: { action: "migration.task-evidence-add" } })).toBe(3);
    expect(await db.auditEvent.count({ where: { action: "migration.task-evidence-remove" } })).toBe(1);
  });

  it("a viewer reads the checklist but every change is refused and recorded as denied", async () => {
    const viewer = await callerAs("viewer");
    expect((await viewer.caller.list()).length).toBeGreaterThan(0);
    expect((await viewer.caller.get({ taskId })).id).toBe(taskId);
    await expect(viewer.caller.update({ taskId, status: "done" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.caller.addEvidence({ kind: "note", taskId, note: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await db.migrationTask.findUniqueOrThrow({ where: { id: taskId } })).status).toBe("todo");
    expect(await db.migrationTaskEvidence.count()).toBe(0);
    expect(await db.auditEvent.count({ where: { outcome: "denied", actorEmail: "viewer@test.local" } })).toBe(2);
  });
});

import { describe, expect, it } from "vitest";

import { PLAN_WEEKS, PRIORITIES, WORKSTREAMS } from "@/lib/migration/checklist";
import { GATE_IDS } from "@/lib/migration/gates";
import { useTestDatabase } from "@/scripts/test-support/test-database";

import { CHECKLIST_SEED_TASKS } from "./checklist-seed-data";
import { dueDayOf, seedMigrationChecklist } from "./seed-checklist";

describe("the checklist seed data", () => {
  it("holds the 10-week plan: 40-70 tasks, unique keys, every week and workstream known and used", () => {
    expect(CHECKLIST_SEED_TASKS.length).toBeGreaterThanOrEqual(40);
    expect(CHECKLIST_SEED_TASKS.length).toBeLessThanOrEqual(70);
    expect(new Set(CHECKLIST_SEED_TASKS.map((task) => task.key)).size).toBe(CHECKLIST_SEED_TASKS.length);
    for (const task of CHECKLIST_SEED_TASKS) {
      expect(Number.isInteger(task.week) && task.week >= 1 && task.week <= PLAN_WEEKS, `${task.key} week ${task.week}`).toBe(true);
      expect(WORKSTREAMS, task.key).toContain(task.workstream);
      expect(PRIORITIES, task.key).toContain(task.priority);
      expect(task.title.trim(), task.key).not.toBe("");
      expect(task.acceptance.trim(), task.key).not.toBe("");
      if (task.gateId) expect(GATE_IDS, task.key).toContain(task.gateId);
    }
    expect(new Set(CHECKLIST_SEED_TASKS.map((task) => task.week))).toEqual(new Set(Array.from({ length: PLAN_WEEKS }, (_, i) => i + 1)));
    expect(new Set(CHECKLIST_SEED_TASKS.map((task) => task.workstream))).toEqual(new Set(WORKSTREAMS));
    // Every automatic gate of the issue is carried by at least one task.
    expect(new Set(CHECKLIST_SEED_TASKS.map((task) => task.gateId).filter(Boolean))).toEqual(new Set(GATE_IDS));
    expect(CHECKLIST_SEED_TASKS.find((task) => task.gateId === "runbook-succeeded-in-staging")?.gateParam).toBe("restart-instance");
  });

  it("puts week N's due date on the last day of that week", () => {
    expect(dueDayOf("2027-01-04", 1)).toBe("2027-01-10");
    expect(dueDayOf("2027-01-04", 10)).toBe("2027-03-14");
  });
});

describe("seedMigrationChecklist", () => {
  const db = useTestDatabase({ emptyBeforeEach: ["auditEvent", "migrationTask", "user"] });

  it("creates every task once, with due dates from the plan start, and a second run creates nothing and keeps edits", async () => {
    const first = await seedMigrationChecklist(db, { planStart: "2027-01-04" });
    expect(first.created).toHaveLength(CHECKLIST_SEED_TASKS.length);
    expect(await db.migrationTask.count()).toBe(CHECKLIST_SEED_TASKS.length);

    const week3 = await db.migrationTask.findFirstOrThrow({ where: { seedKey: "w3-infra-dns" } });
    expect(week3).toMatchObject({ week: 3, workstream: "infrastructure", priority: "must-have", status: "todo" });
    expect(week3.dueDate?.toISOString().slice(0, 10)).toBe("2027-01-24");
    const gated = await db.migrationTask.findFirstOrThrow({ where: { seedKey: "w7-test-lifecycle-runbook" } });
    expect(gated).toMatchObject({ gateId: "runbook-succeeded-in-staging", gateParam: "restart-instance" });

    await db.migrationTask.update({ where: { id: week3.id }, data: { status: "done", title: "DNS ready" } });
    const second = await seedMigrationChecklist(db, { planStart: "2027-01-04" });
    expect(second).toMatchObject({ created: [], existing: CHECKLIST_SEED_TASKS.length });
    expect(await db.migrationTask.count()).toBe(CHECKLIST_SEED_TASKS.length);
    expect(await db.migrationTask.findUniqueOrThrow({ where: { id: week3.id } })).toMatchObject({ status: "done", title: "DNS ready" });
    expect(await db.auditEvent.count({ where: { action: "migration.checklist-seed" } })).toBe(1);
  });

  it("without a plan start counts from the first seeding day, and a task added later lines up with it", async () => {
    const firstDay = new Date("2027-02-01T09:30:00Z");
    const [one, ...rest] = CHECKLIST_SEED_TASKS;
    await seedMigrationChecklist(db, { now: firstDay, tasks: rest });
    const later = await seedMigrationChecklist(db, { now: new Date("2027-02-20T12:00:00Z") });
    expect(later).toMatchObject({ created: [one.key], planStart: "2027-02-01" });
    const added = await db.migrationTask.findFirstOrThrow({ where: { seedKey: one.key } });
    expect(added.dueDate?.toISOString().slice(0, 10)).toBe(dueDayOf("2027-02-01", one.week));
  });
});

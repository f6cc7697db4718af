import "server-only";

import { addDays, dayOf } from "@/lib/migration/burn-up";
import { recordAuditEvent } from "@/server/audit/audit-log";
import type { PrismaClient } from "@/server/db/generated/client";

import { CHECKLIST_SEED_TASKS, type ChecklistSeedTask } from "./checklist-seed-data";

export interface ChecklistSeedResult {
  created: string[];
  existing: number;
  planStart: string;
}

/** Week N ends on day 7·N − 1 after the plan's first day: that is when its tasks are due. */
export function dueDayOf(planStart: string, week: number): string {
  return addDays(planStart, week * 7 - 1);
}

/**
 * Creates the checklist tasks of the plan that do not exist yet, matched by seedKey, so it runs on
 * every start: a PM's edits (owner, status, due date) survive, and a task added to the seed data
 * later appears on the next start. Due dates count from `planStart` (MIGRATION_PLAN_START), else
 * from the day the first tasks were seeded, so later additions line up with the earlier ones.
 */
export async function seedMigrationChecklist(
  db: PrismaClient,
  options: { planStart?: string; now?: Date; tasks?: readonly ChecklistSeedTask[] } = {},
): Promise<ChecklistSeedResult> {
  const tasks = options.tasks ?? CHECKLIST_SEED_TASKS;
  const seeded = await db.migrationTask.findMany({ where: { seedKey: { not: null } }, select: { seedKey: true, createdAt: true } });
  const present = new Set(seeded.map((task) => task.seedKey));
  const firstSeeded = seeded.reduce<Date | null>((first, task) => (first === null || task.createdAt < first ? task.createdAt : first), null);
  const planStart = options.planStart ?? dayOf(firstSeeded ?? options.now ?? new Date());
  const missing = tasks.filter((task) => !present.has(task.key));
  if (missing.length === 0) return { created: [], existing: present.size, planStart };

  const positions = new Map<number, number>();
  const rows = tasks.map((task) => {
    const position = positions.get(task.week) ?? 0;
    positions.set(task.week, position + 1);
    return { task, position };
  });
  await db.$transaction(async (tx) => {
    await tx.migrationTask.createMany({
      data: rows
        .filter(({ task }) => !present.has(task.key))
        .map(({ task, position }) => ({
          seedKey: task.key,
          week: task.week,
          workstream: task.workstream,
          title: task.title,
          acceptance: task.acceptance,
          priority: task.priority,
          position,
          dueDate: new Date(`${dueDayOf(planStart, task.week)}T00:00:00Z`),
          gateId: task.gateId ?? null,
          gateParam: task.gateParam ?? null,
          attestationDays: task.attestationDays ?? null,
          ...(options.now ? { createdAt: options.now } : {}),
        })),
      // Another replica seeding at the same moment: its rows win, ours are skipped.
      skipDuplicates: true,
    });
    await recordAuditEvent(tx, {
      actor: { name: "system" },
      action: "migration.checklist-seed",
      targetKind: "migration-checklist",
      targetId: "checklist",
      details: { created: missing.length, planStart },
    });
  });
  return { created: missing.map((task) => task.key), existing: present.size, planStart };
}

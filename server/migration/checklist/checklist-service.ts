import "server-only";

import { computeBurnUp, dayOf, type BurnUp } from "@/lib/migration/burn-up";
import { MAX_EVIDENCE_FILE_BYTES, MAX_EVIDENCE_FILE_LABEL, type Priority, type TaskStatus, type Workstream } from "@/lib/migration/checklist";
import type { ChecklistFilter, EvidenceAdd, TaskUpdate } from "@/lib/migration/checklist-schemas";
import { gateKey, type GateId } from "@/lib/migration/gates";
import { recordAuditEvent, type AuditSource } from "@/server/audit/audit-log";
import type { Prisma, PrismaClient } from "@/server/db/generated/client";
import { AppError } from "@/server/errors/app-error";

export interface ChecklistActor {
  id: string;
  email: string;
}

export interface TaskOwnerView {
  id: string;
  name: string;
  email: string;
}

export interface ChecklistTaskView {
  id: string;
  /** The plan's key of a seeded task (stable across databases), null for a task added by hand. */
  seedKey: string | null;
  week: number;
  workstream: Workstream;
  title: string;
  acceptance: string;
  priority: Priority;
  status: TaskStatus;
  blockedReason: string | null;
  owner: TaskOwnerView | null;
  /** YYYY-MM-DD. */
  dueDate: string | null;
  doneAt: string | null;
  gateId: GateId | null;
  gateParam: string | null;
  /** The key of the gate's result (lib/migration/gates.ts gateKey), null without a gate. */
  gateKey: string | null;
  attestationDays: number | null;
  evidenceCount: number;
  updatedAt: string;
}

export interface EvidenceView {
  id: string;
  kind: "link" | "note" | "file";
  title: string;
  url: string | null;
  note: string | null;
  fileName: string | null;
  contentType: string | null;
  size: number | null;
  addedByEmail: string;
  addedAt: string;
}

export interface TaskChangeView {
  id: string;
  at: string;
  actorEmail: string;
  field: string;
  fromValue: string | null;
  toValue: string | null;
}

export interface ChecklistTaskDetail extends ChecklistTaskView {
  evidence: EvidenceView[];
  changes: TaskChangeView[];
}

const taskInclude = {
  owner: { select: { id: true, name: true, email: true } },
  _count: { select: { evidence: true } },
} as const;

type TaskRow = Prisma.MigrationTaskGetPayload<{ include: typeof taskInclude }>;

function taskView(row: TaskRow): ChecklistTaskView {
  const gateId = (row.gateId as GateId | null) ?? null;
  return {
    id: row.id,
    seedKey: row.seedKey,
    week: row.week,
    workstream: row.workstream as Workstream,
    title: row.title,
    acceptance: row.acceptance,
    priority: row.priority as Priority,
    status: row.status as TaskStatus,
    blockedReason: row.blockedReason,
    owner: row.owner,
    dueDate: row.dueDate ? dayOf(row.dueDate) : null,
    doneAt: row.doneAt?.toISOString() ?? null,
    gateId,
    gateParam: row.gateParam,
    gateKey: gateId ? gateKey(gateId, row.gateParam) : null,
    attestationDays: row.attestationDays,
    evidenceCount: row._count.evidence,
    updatedAt: row.updatedAt.toISOString(),
  };
}

function whereOf(filter: ChecklistFilter): Prisma.MigrationTaskWhereInput {
  return {
    ...(filter.week !== undefined ? { week: filter.week } : {}),
    ...(filter.workstream ? { workstream: filter.workstream } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.priority ? { priority: filter.priority } : {}),
    ...(filter.owner ? { ownerId: filter.owner === "none" ? null : filter.owner } : {}),
  };
}

export async function listChecklistTasks(db: PrismaClient, filter: ChecklistFilter = {}): Promise<ChecklistTaskView[]> {
  const rows = await db.migrationTask.findMany({
    where: whereOf(filter),
    include: taskInclude,
    orderBy: [{ week: "asc" }, { position: "asc" }, { title: "asc" }],
  });
  return rows.map(taskView);
}

function notFound(taskId: string): AppError {
  return new AppError("NOT_FOUND", { message: `migration task ${taskId} not found`, userMessage: "That checklist task does not exist (any more)." });
}

export async function getChecklistTask(db: PrismaClient, taskId: string): Promise<ChecklistTaskDetail> {
  const row = await db.migrationTask.findUnique({
    where: { id: taskId },
    include: {
      ...taskInclude,
      evidence: {
        orderBy: { addedAt: "desc" },
        select: { id: true, kind: true, title: true, url: true, note: true, fileName: true, contentType: true, size: true, addedByEmail: true, addedAt: true },
      },
      changes: { orderBy: [{ at: "desc" }, { id: "asc" }], take: 500 },
    },
  });
  if (!row) throw notFound(taskId);
  return {
    ...taskView(row),
    evidence: row.evidence.map((item) => ({ ...item, kind: item.kind as EvidenceView["kind"], addedAt: item.addedAt.toISOString() })),
    changes: row.changes.map((change) => ({
      id: change.id,
      at: change.at.toISOString(),
      actorEmail: change.actorEmail,
      field: change.field,
      fromValue: change.fromValue,
      toValue: change.toValue,
    })),
  };
}

/** The users a task can be given to: every enabled account. */
export async function listTaskOwners(db: PrismaClient): Promise<TaskOwnerView[]> {
  return db.user.findMany({ where: { disabled: false }, select: { id: true, name: true, email: true }, orderBy: [{ name: "asc" }, { email: "asc" }] });
}

interface FieldChange {
  field: "owner" | "dueDate" | "status" | "blockedReason";
  fromValue: string | null;
  toValue: string | null;
}

/**
 * Changes a task's owner, due date and status. Each changed field becomes one history row, and
 * the audit row lists them all, in the same transaction. Setting a task blocked needs a reason;
 * leaving "blocked" clears it. An update that changes nothing writes nothing.
 */
export async function updateChecklistTask(
  db: PrismaClient,
  actor: ChecklistActor,
  update: TaskUpdate,
  source?: AuditSource,
): Promise<{ task: ChecklistTaskView; changes: FieldChange[] }> {
  return db.$transaction(async (tx) => {
    const current = await tx.migrationTask.findUnique({ where: { id: update.taskId }, include: { owner: { select: { email: true } } } });
    if (!current) throw notFound(update.taskId);
    const data: Prisma.MigrationTaskUncheckedUpdateInput = {};
    const changes: FieldChange[] = [];

    if (update.ownerId !== undefined && update.ownerId !== current.ownerId) {
      let ownerEmail: string | null = null;
      if (update.ownerId !== null) {
        const owner = await tx.user.findUnique({ where: { id: update.ownerId }, select: { email: true, disabled: true } });
        if (!owner || owner.disabled) {
          throw new AppError("BAD_REQUEST", {
            message: `owner ${update.ownerId} is no enabled user`,
            userMessage: "Choose an owner from the list: that user does not exist or is disabled.",
          });
        }
        ownerEmail = owner.email;
      }
      data.ownerId = update.ownerId;
      changes.push({ field: "owner", fromValue: current.owner?.email ?? null, toValue: ownerEmail });
    }

    const currentDue = current.dueDate ? dayOf(current.dueDate) : null;
    if (update.dueDate !== undefined && update.dueDate !== currentDue) {
      data.dueDate = update.dueDate === null ? null : new Date(`${update.dueDate}T00:00:00Z`);
      changes.push({ field: "dueDate", fromValue: currentDue, toValue: update.dueDate });
    }

    const status = update.status ?? (current.status as TaskStatus);
    if (status !== current.status) {
      data.status = status;
      changes.push({ field: "status", fromValue: current.status, toValue: status });
      if (status === "done") data.doneAt = new Date();
      else if (current.status === "done") data.doneAt = null;
    }
    const reason = status === "blocked" ? (update.blockedReason ?? current.blockedReason ?? "").trim() || null : null;
    if (status === "blocked" && !reason) {
      throw new AppError("BAD_REQUEST", { message: "blocked without a reason", userMessage: "Say why the task is blocked." });
    }
    if (reason !== current.blockedReason) {
      data.blockedReason = reason;
      changes.push({ field: "blockedReason", fromValue: current.blockedReason, toValue: reason });
    }

    if (changes.length > 0) {
      await tx.migrationTask.update({ where: { id: current.id }, data });
      await tx.migrationTaskChange.createMany({
        data: changes.map((change) => ({ taskId: current.id, actorId: actor.id, actorEmail: actor.email, ...change })),
      });
      await recordAuditEvent(tx, {
        actor: { user: actor },
        action: "migration.task-update",
        targetKind: "migration-task",
        targetId: current.id,
        source,
        details: { title: current.title, changes },
      });
    }
    const row = await tx.migrationTask.findUniqueOrThrow({ where: { id: current.id }, include: taskInclude });
    return { task: taskView(row), changes };
  });
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(2)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

export async function addTaskEvidence(db: PrismaClient, actor: ChecklistActor, input: EvidenceAdd, source?: AuditSource): Promise<EvidenceView> {
  let data: Omit<Prisma.MigrationTaskEvidenceUncheckedCreateInput, "taskId" | "addedById" | "addedByEmail">;
  if (input.kind === "link") {
    data = { kind: "link", title: input.title || input.url, url: input.url };
  } else if (input.kind === "note") {
    data = { kind: "note", title: input.title || input.note.split("\n")[0].slice(0, 80), note: input.note };
  } else {
    const content = Buffer.from(input.contentBase64, "base64");
    if (content.length > MAX_EVIDENCE_FILE_BYTES) {
      throw new AppError("BAD_REQUEST", {
        message: `evidence file of ${content.length} bytes refused`,
        userMessage: `The file is ${formatBytes(content.length)}; evidence files are at most ${MAX_EVIDENCE_FILE_LABEL}.`,
      });
    }
    if (content.length === 0) throw new AppError("BAD_REQUEST", { message: "empty evidence file", userMessage: "The file is empty; choose another." });
    data = {
      kind: "file",
      title: input.title || input.fileName,
      fileName: input.fileName,
      contentType: input.contentType || "application/octet-stream",
      size: content.length,
      content: new Uint8Array(content),
    };
  }
  return db.$transaction(async (tx) => {
    const task = await tx.migrationTask.findUnique({ where: { id: input.taskId }, select: { id: true, title: true } });
    if (!task) throw notFound(input.taskId);
    const evidence = await tx.migrationTaskEvidence.create({
      data: { ...data, taskId: task.id, addedById: actor.id, addedByEmail: actor.email },
      select: { id: true, kind: true, title: true, url: true, note: true, fileName: true, contentType: true, size: true, addedByEmail: true, addedAt: true },
    });
    await tx.migrationTaskChange.create({
      data: { taskId: task.id, actorId: actor.id, actorEmail: actor.email, field: "evidence", fromValue: null, toValue: `${evidence.kind}: ${evidence.title}` },
    });
    await recordAuditEvent(tx, {
      actor: { user: actor },
      action: "migration.task-evidence-add",
      targetKind: "migration-task",
      targetId: task.id,
      source,
      details: { title: task.title, evidenceId: evidence.id, kind: evidence.kind, evidenceTitle: evidence.title, url: evidence.url, size: evidence.size },
    });
    return { ...evidence, kind: evidence.kind as EvidenceView["kind"], addedAt: evidence.addedAt.toISOString() };
  });
}

export async function removeTaskEvidence(db: PrismaClient, actor: ChecklistActor, evidenceId: string, source?: AuditSource): Promise<{ taskId: string }> {
  return db.$transaction(async (tx) => {
    const evidence = await tx.migrationTaskEvidence.findUnique({ where: { id: evidenceId }, select: { id: true, taskId: true, kind: true, title: true } });
    if (!evidence) throw new AppError("NOT_FOUND", { message: `evidence ${evidenceId} not found`, userMessage: "That evidence was already removed." });
    await tx.migrationTaskEvidence.delete({ where: { id: evidence.id } });
    await tx.migrationTaskChange.create({
      data: {
        taskId: evidence.taskId,
        actorId: actor.id,
        actorEmail: actor.email,
        field: "evidence",
        fromValue: `${evidence.kind}: ${evidence.title}`,
        toValue: null,
      },
    });
    await recordAuditEvent(tx, {
      actor: { user: actor },
      action: "migration.task-evidence-remove",
      targetKind: "migration-task",
      targetId: evidence.taskId,
      source,
      details: { evidenceId: evidence.id, kind: evidence.kind, evidenceTitle: evidence.title },
    });
    return { taskId: evidence.taskId };
  });
}

/** One evidence file's bytes, for the download route. */
export async function readEvidenceFile(db: PrismaClient, evidenceId: string): Promise<{ fileName: string; contentType: string; content: Uint8Array } | null> {
  const evidence = await db.migrationTaskEvidence.findUnique({
    where: { id: evidenceId },
    select: { kind: true, fileName: true, contentType: true, content: true },
  });
  if (!evidence || evidence.kind !== "file" || !evidence.content) return null;
  return { fileName: evidence.fileName ?? "evidence", contentType: evidence.contentType ?? "application/octet-stream", content: evidence.content };
}

/** The burn-up of the whole checklist (filters do not narrow the scope). */
export async function checklistBurnUp(db: PrismaClient, options: { now?: Date; planStart?: string } = {}): Promise<BurnUp> {
  const tasks = await db.migrationTask.findMany({ select: { status: true, workstream: true, dueDate: true, doneAt: true, createdAt: true } });
  return computeBurnUp(
    tasks.map((task) => ({ ...task, status: task.status as TaskStatus, dueDate: task.dueDate ? dayOf(task.dueDate) : null })),
    { now: options.now ?? new Date(), startDay: options.planStart },
  );
}

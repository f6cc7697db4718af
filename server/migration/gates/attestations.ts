import "server-only";

import { isAttestationActive, type AttestationView, type AttestTaskInput, type RevokeAttestationInput } from "@/lib/migration/attestations";
import { recordAuditEvent, type AuditSource } from "@/server/audit/audit-log";
import type { PrismaClient } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";

/**
 * Manual checks: attestations of checklist tasks. Each change commits with its audit row and a
 * line in the task's history; an expired or revoked attestation stays on record but no longer counts.
 */

interface Person {
  id: string;
  email: string;
}

const DAY_MS = 24 * 60 * 60_000;
const MAX_EXPIRY_DAYS = 10 * 365;

type AttestationRow = {
  id: string;
  taskId: string;
  attestedByEmail: string;
  attestedAt: Date;
  expiresAt: Date | null;
  note: string;
  revokedAt: Date | null;
};

function toView(row: AttestationRow, now: Date): AttestationView {
  return {
    id: row.id,
    taskId: row.taskId,
    attestedByEmail: row.attestedByEmail,
    attestedAt: row.attestedAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    note: row.note,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    active: isAttestationActive(row, now),
  };
}

/** A task's attestations, newest first. */
export async function listAttestations(db: PrismaClient, taskId: string, now = new Date()): Promise<AttestationView[]> {
  const rows = await db.migrationAttestation.findMany({ where: { taskId }, orderBy: { attestedAt: "desc" } });
  return rows.map((row) => toView(row, now));
}

/** The attestation that holds now for each task that has one (the newest active one). */
export async function currentAttestations(db: PrismaClient, now = new Date()): Promise<AttestationView[]> {
  const rows = await db.migrationAttestation.findMany({
    where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    orderBy: { attestedAt: "desc" },
  });
  const byTask = new Map<string, AttestationView>();
  for (const row of rows) if (!byTask.has(row.taskId)) byTask.set(row.taskId, toView(row, now));
  return [...byTask.values()];
}

export async function attestTask(db: PrismaClient, person: Person, input: AttestTaskInput, source?: AuditSource, now = new Date()): Promise<AttestationView> {
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
    throw new AppError("BAD_REQUEST", { message: "attestation expiry in the past", userMessage: "The expiry must be in the future." });
  }
  // Beyond what a timestamp column holds, and beyond any sensible review cycle.
  if (input.expiresAt && input.expiresAt.getTime() > now.getTime() + MAX_EXPIRY_DAYS * DAY_MS) {
    throw new AppError("BAD_REQUEST", { message: "attestation expiry too far", userMessage: `Choose an expiry within ${MAX_EXPIRY_DAYS / 365} years.` });
  }
  return db.$transaction(async (tx) => {
    const task = await tx.migrationTask.findUnique({ where: { id: input.taskId }, select: { id: true, title: true, attestationDays: true } });
    if (!task) throw new AppError("NOT_FOUND", { message: `migration task ${input.taskId} not found`, userMessage: "This checklist task no longer exists." });
    const expiresAt = input.expiresAt ?? (task.attestationDays ? new Date(now.getTime() + task.attestationDays * DAY_MS) : null);
    const row = await tx.migrationAttestation.create({
      data: { taskId: task.id, attestedById: person.id, attestedByEmail: person.email, attestedAt: now, expiresAt, note: input.note },
    });
    await tx.migrationTaskChange.create({
      data: {
        taskId: task.id,
        at: now,
        actorId: person.id,
        actorEmail: person.email,
        field: "attestation",
        fromValue: null,
        toValue: expiresAt ? `attested until ${expiresAt.toISOString()}` : "attested",
      },
    });
    await recordAuditEvent(tx, {
      actor: { user: person },
      action: "migration.attest",
      targetKind: "migration-task",
      targetId: task.id,
      details: { attestationId: row.id, task: task.title, expiresAt: expiresAt?.toISOString() ?? null },
      source,
    });
    return toView(row, now);
  });
}

export async function revokeAttestation(
  db: PrismaClient,
  person: Person,
  input: RevokeAttestationInput,
  source?: AuditSource,
  now = new Date(),
): Promise<AttestationView> {
  return db.$transaction(async (tx) => {
    const existing = await tx.migrationAttestation.findUnique({ where: { id: input.attestationId } });
    if (!existing)
      throw new AppError("NOT_FOUND", { message: `attestation ${input.attestationId} not found`, userMessage: "This attestation no longer exists." });
    if (existing.revokedAt) {
      throw new AppError("CONFLICT", { message: "attestation already revoked", userMessage: "This attestation was already revoked." });
    }
    // Compare-and-set: two people revoking at once produce one revocation.
    const { count } = await tx.migrationAttestation.updateMany({ where: { id: existing.id, revokedAt: null }, data: { revokedAt: now } });
    if (count === 0) throw new AppError("CONFLICT", { message: "attestation revoked concurrently", userMessage: "This attestation was already revoked." });
    await tx.migrationTaskChange.create({
      data: { taskId: existing.taskId, at: now, actorId: person.id, actorEmail: person.email, field: "attestation", fromValue: "attested", toValue: "revoked" },
    });
    await recordAuditEvent(tx, {
      actor: { user: person },
      action: "migration.attestation-revoke",
      targetKind: "migration-task",
      targetId: existing.taskId,
      details: { attestationId: existing.id, reason: input.reason ?? null },
      source,
    });
    return toView({ ...existing, revokedAt: now }, now);
  });
}

import "server-only";

import {
  checkTransition,
  NATIVE_STATE,
  type TenantMigrationState,
  type TenantMigrationStateOrNative,
  type TransitionActor,
} from "@/lib/migration/tenant-states";
import { recordAuditEvent, type AuditActor, type AuditSource } from "@/server/audit/audit-log";
import type { Prisma, PrismaClient } from "@/server/db/generated/client";
import { AppError } from "@/server/errors/app-error";

type Db = PrismaClient | Prisma.TransactionClient;

export interface TenantTransition {
  tenantId: string;
  to: TenantMigrationState;
  /** Who records it: a person, a service token (the migration scripts) or a wave's run. */
  via: TransitionActor | "import";
  actor: AuditActor;
  tokenId?: string;
  waveId?: string | null;
  runId?: string;
  reason?: string;
  evidence?: string;
  /** When given, the change only happens from this state (a wave's compare-and-set). */
  expectFrom?: TenantMigrationStateOrNative;
  source?: AuditSource;
}

/** A committed-or-about-to-commit change of tenants' migration states, for in-memory readers. */
export type TenantMigrationWrite = { tenantId: string; state: TenantMigrationState }[];
type WriteListener = (changes: TenantMigrationWrite) => void;

// Process-wide, like the runtime: whoever keeps migration states in memory (the tenant directory)
// listens here instead of querying per request. Told as the write is made, inside its
// transaction: a listener treats it as a hint and re-reads the rows shortly after (a transaction
// that rolls back is corrected then, and by the listener's periodic reload).
// Kept on globalThis: Next evaluates a server module once per bundle, and a write made from a route
// handler's bundle must reach the directory the runtime (oncePerProcess) registered from another.
const LISTENERS_KEY = Symbol.for("fleetdeck.tenantMigrationWriteListeners");
const writeListeners: Set<WriteListener> = ((globalThis as { [LISTENERS_KEY]?: Set<WriteListener> })[LISTENERS_KEY] ??= new Set<WriteListener>());

/** Called with every state transitionTenant (or an import) writes in this process. */
export function onTenantMigrationWrite(listener: WriteListener): () => void {
  writeListeners.add(listener);
  return () => writeListeners.delete(listener);
}

function notifyWrite(changes: TenantMigrationWrite): void {
  if (changes.length === 0) return;
  for (const listener of writeListeners) {
    try {
      listener(changes);
    } catch (error) {
      console.error("[migration] a tenant-state listener failed", error);
    }
  }
}

/** Every tenant's migration state (tenants without a row are "native"), for the tenant directory. */
export async function loadTenantMigrationStates(db: Db): Promise<Map<string, TenantMigrationState>> {
  const rows = await db.tenantMigration.findMany({ select: { tenantId: true, state: true } });
  return new Map(rows.map((row) => [row.tenantId, row.state as TenantMigrationState]));
}

/**
 * The registry import's part: tenants the instance service runs on Swarm and that have no
 * migration row get one in "on-swarm", with an event each (via "import"). An existing row is
 * never overwritten. One audit row covers them: the import's own ("registry.import", with the count).
 */
export async function recordImportedOnSwarm(tx: Prisma.TransactionClient, tenantIds: string[], actor: AuditActor): Promise<number> {
  if (tenantIds.length === 0) return 0;
  const actorEmail = "user" in actor ? actor.user.email : actor.name;
  const actorId = "user" in actor ? actor.user.id : null;
  let created = 0;
  for (let start = 0; start < tenantIds.length; start += 1000) {
    const batch = tenantIds.slice(start, start + 1000);
    const existing = new Set(
      (await tx.tenantMigration.findMany({ where: { tenantId: { in: batch } }, select: { tenantId: true } })).map((row) => row.tenantId),
    );
    const fresh = batch.filter((id) => !existing.has(id));
    if (fresh.length === 0) continue;
    await tx.tenantMigration.createMany({ data: fresh.map((tenantId) => ({ tenantId, state: "on-swarm", updatedByEmail: actorEmail })) });
    await tx.tenantMigrationEvent.createMany({
      data: fresh.map((tenantId) => ({ tenantId, fromState: NATIVE_STATE, toState: "on-swarm", actorId, actorEmail, via: "import" })),
    });
    created += fresh.length;
    notifyWrite(fresh.map((tenantId) => ({ tenantId, state: "on-swarm" })));
  }
  return created;
}

export async function tenantMigrationState(db: Db, tenantId: string): Promise<TenantMigrationStateOrNative> {
  const row = await db.tenantMigration.findUnique({ where: { tenantId }, select: { state: true } });
  return (row?.state as TenantMigrationState | undefined) ?? NATIVE_STATE;
}

/**
 * Moves one tenant along its migration, in `tx` (the caller's transaction, so the state, its event
 * and the audit row commit together). Illegal steps are refused with the reason
 * (lib/migration/tenant-states.ts); "import" may set any state (the registry knows best).
 */
export async function transitionTenant(
  tx: Prisma.TransactionClient,
  change: TenantTransition,
): Promise<{ from: TenantMigrationStateOrNative; to: TenantMigrationState }> {
  const from = await tenantMigrationState(tx, change.tenantId);
  if (change.expectFrom !== undefined && change.expectFrom !== from) {
    throw new AppError("CONFLICT", {
      message: `tenant ${change.tenantId} is ${from}, expected ${change.expectFrom}`,
      userMessage: `The tenant's migration moved on meanwhile (it is now “${from}”). Reload and try again.`,
    });
  }
  if (change.via !== "import") {
    const check = checkTransition(from, change.to, change.via);
    if (!check.ok) throw new AppError("UNPROCESSABLE", { message: `illegal migration step ${from} → ${change.to}`, userMessage: check.reason });
  }
  if (change.to === "rolled-back" && !change.reason) {
    throw new AppError("BAD_REQUEST", { message: "rollback without reason", userMessage: "Say why the tenant is rolled back." });
  }
  const actorEmail = "user" in change.actor ? change.actor.user.email : change.actor.name;
  const actorId = "user" in change.actor ? change.actor.user.id : null;
  const waveUpdate = change.to === "on-swarm" ? { waveId: null } : change.waveId !== undefined ? { waveId: change.waveId } : {};
  await tx.tenantMigration.upsert({
    where: { tenantId: change.tenantId },
    create: { tenantId: change.tenantId, state: change.to, reason: change.reason ?? null, updatedByEmail: actorEmail, waveId: change.waveId ?? null },
    update: { state: change.to, reason: change.reason ?? null, updatedByEmail: actorEmail, ...waveUpdate },
  });
  await tx.tenantMigrationEvent.create({
    data: {
      tenantId: change.tenantId,
      fromState: from,
      toState: change.to,
      actorId,
      actorEmail,
      via: change.via,
      tokenId: change.tokenId ?? null,
      waveId: change.waveId ?? null,
      runId: change.runId ?? null,
      reason: change.reason ?? null,
      evidence: change.evidence ?? null,
    },
  });
  await recordAuditEvent(tx, {
    actor: change.actor,
    action: "migration.tenant-step",
    targetKind: "tenant",
    targetId: change.tenantId,
    details: {
      from,
      to: change.to,
      via: change.via,
      ...(change.tokenId ? { tokenId: change.tokenId } : {}),
      ...(change.waveId ? { waveId: change.waveId } : {}),
      ...(change.runId ? { runId: change.runId } : {}),
      ...(change.reason ? { reason: change.reason } : {}),
    },
    source: change.source,
  });
  notifyWrite([{ tenantId: change.tenantId, state: change.to }]);
  return { from, to: change.to };
}

export interface BulkTenantTransition {
  tenantIds: readonly string[];
  to: TenantMigrationState;
  via: TransitionActor;
  actor: AuditActor;
  waveId?: string | null;
  reason?: string;
  evidence?: string;
  source?: AuditSource;
  /** The audit row's action and target: one row for the whole change (the events hold each tenant). */
  audit: { action: string; targetKind: string; targetId: string; details?: Record<string, unknown> };
}

export interface BulkTransitionResult {
  moved: string[];
  refused: { tenantId: string; reason: string }[];
}

/**
 * Moves many tenants to the same state in `tx` (a wave's scheduling, a PM's attestation for a
 * whole wave): each tenant's step is checked like transitionTenant's, legal ones move with one
 * event each, and one audit row records the change with its counts. Tenants without a row are
 * native (never on Swarm) and are refused.
 */
export async function transitionTenants(tx: Prisma.TransactionClient, change: BulkTenantTransition): Promise<BulkTransitionResult> {
  const rows = await tx.tenantMigration.findMany({ where: { tenantId: { in: [...change.tenantIds] } }, select: { tenantId: true, state: true } });
  const stateOf = new Map(rows.map((row) => [row.tenantId, row.state as TenantMigrationState]));
  const moved: { tenantId: string; from: TenantMigrationState }[] = [];
  const refused: BulkTransitionResult["refused"] = [];
  for (const tenantId of change.tenantIds) {
    const from = stateOf.get(tenantId) ?? NATIVE_STATE;
    const check = checkTransition(from, change.to, change.via);
    if (!check.ok) refused.push({ tenantId, reason: check.reason });
    else if (from !== NATIVE_STATE) moved.push({ tenantId, from });
  }
  if (change.to === "rolled-back" && !change.reason && moved.length > 0) {
    throw new AppError("BAD_REQUEST", { message: "rollback without reason", userMessage: "Say why the tenants are rolled back." });
  }
  const actorEmail = "user" in change.actor ? change.actor.user.email : change.actor.name;
  const actorId = "user" in change.actor ? change.actor.user.id : null;
  const byFrom = new Map<TenantMigrationState, string[]>();
  for (const { tenantId, from } of moved) byFrom.set(from, [...(byFrom.get(from) ?? []), tenantId]);
  const waveUpdate = change.to === "on-swarm" ? { waveId: null } : change.waveId !== undefined ? { waveId: change.waveId } : {};
  for (const [from, tenantIds] of byFrom) {
    // The state in the filter is the compare-and-set: a tenant that moved meanwhile is not touched.
    const updated = await tx.tenantMigration.updateMany({
      where: { tenantId: { in: tenantIds }, state: from },
      data: { state: change.to, reason: change.reason ?? null, updatedByEmail: actorEmail, ...waveUpdate },
    });
    if (updated.count !== tenantIds.length) {
      throw new AppError("CONFLICT", {
        message: `${tenantIds.length - updated.count} tenants left ${from} during a bulk step`,
        userMessage: "Some tenants' migration moved on meanwhile. Reload and try again.",
      });
    }
  }
  if (moved.length > 0) {
    await tx.tenantMigrationEvent.createMany({
      data: moved.map(({ tenantId, from }) => ({
        tenantId,
        fromState: from,
        toState: change.to,
        actorId,
        actorEmail,
        via: change.via,
        waveId: change.waveId ?? null,
        reason: change.reason ?? null,
        evidence: change.evidence ?? null,
      })),
    });
  }
  await recordAuditEvent(tx, {
    actor: change.actor,
    action: change.audit.action,
    targetKind: change.audit.targetKind,
    targetId: change.audit.targetId,
    details: { to: change.to, via: change.via, moved: moved.length, refused: refused.length, ...(change.audit.details ?? {}) },
    source: change.source,
  });
  notifyWrite(moved.map(({ tenantId }) => ({ tenantId, state: change.to })));
  return { moved: moved.map((m) => m.tenantId), refused };
}

import "server-only";

import { NATIVE_STATE, nextStates, type TenantMigrationState, type TenantMigrationStateOrNative } from "@/lib/migration/tenant-states";
import type { TenantStepReport } from "@/lib/migration/tenant-state-schemas";
import { TENANT_MIGRATION_HISTORY_LIMIT, type TenantMigrationView } from "@/lib/migration/tenant-migration-views";
import type { AuditActor, AuditSource } from "@/server/audit/audit-log";
import type { PrismaClient } from "@/server/db/generated/client";
import { AppError } from "@/server/errors/app-error";
import { transitionTenant } from "@/server/migration/tenant-migration";

/**
 * A tenant's migration as people read and attest it: its state with the history of every step,
 * and the attested steps (a person through the portal, the migration scripts through the API).
 * The writes go through transitionTenant, the one writer of migration states.
 */

async function requireTenant(db: Pick<PrismaClient, "tenant">, tenantId: string): Promise<void> {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { id: true } });
  if (!tenant)
    throw new AppError("NOT_FOUND", { message: `tenant ${tenantId} not in registry`, userMessage: `No tenant with id ${tenantId} in the registry.` });
}

export async function getTenantMigration(db: PrismaClient, tenantId: string): Promise<TenantMigrationView> {
  await requireTenant(db, tenantId);
  const [row, events] = await Promise.all([
    db.tenantMigration.findUnique({ where: { tenantId } }),
    db.tenantMigrationEvent.findMany({ where: { tenantId }, orderBy: [{ at: "desc" }, { id: "desc" }], take: TENANT_MIGRATION_HISTORY_LIMIT }),
  ]);
  const state = (row?.state as TenantMigrationState | undefined) ?? NATIVE_STATE;
  return {
    tenantId,
    state,
    reason: row?.reason ?? null,
    waveId: row?.waveId ?? null,
    updatedAt: row?.updatedAt.toISOString() ?? null,
    updatedByEmail: row?.updatedByEmail ?? null,
    nextSteps: nextStates(state, "person"),
    history: events.map((event) => ({
      id: event.id,
      at: event.at.toISOString(),
      from: event.fromState as TenantMigrationStateOrNative,
      to: event.toState as TenantMigrationState,
      via: event.via,
      actorEmail: event.actorEmail,
      reason: event.reason,
      evidence: event.evidence,
    })),
  };
}

export interface AttestedStep {
  tenantId: string;
  report: TenantStepReport;
  actor: AuditActor;
  /** A person in the portal, or a service token (the migration scripts). */
  via: "person" | "token";
  tokenId?: string;
  expectFrom?: TenantMigrationStateOrNative;
  source?: AuditSource;
}

/**
 * Records an attested step in one transaction (state, event, audit row). An illegal step is
 * refused (AppError UNPROCESSABLE with checkTransition's reason); so is a step from a state that
 * changed meanwhile when `expectFrom` is given (CONFLICT).
 */
export async function recordAttestedStep(db: PrismaClient, step: AttestedStep): Promise<{ from: TenantMigrationStateOrNative; state: TenantMigrationState }> {
  const { from, to } = await db.$transaction(async (tx) => {
    await requireTenant(tx, step.tenantId);
    // One attestation per tenant at a time: the state read and its change cannot interleave.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`tenant-migration:${step.tenantId}`}))`;
    return transitionTenant(tx, {
      tenantId: step.tenantId,
      to: step.report.to,
      via: step.via,
      actor: step.actor,
      tokenId: step.tokenId,
      reason: step.report.reason || undefined,
      evidence: step.report.evidence || undefined,
      expectFrom: step.expectFrom,
      source: step.source,
    });
  });
  return { from, state: to };
}

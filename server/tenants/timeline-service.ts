import "server-only";

import { TIMELINE_MAX_ENTRIES, type TenantTimeline } from "@/lib/tenants/timeline";
import type { TenantTimelineInput } from "@/lib/tenants/timeline-schemas";
import type { PrismaClient } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import type { TenantDirectory } from "./tenant-view";
import { mergeTimeline, type TimelineRegistryChange } from "./timeline";

/** An import's audit row is written in the transaction that changed the rows: within this of their timestamps. */
const IMPORT_MATCH_MS = 5 * 60_000;

/**
 * Reads the timeline's sources: the cluster's events from the cache (never from Kubernetes), runs
 * and migration steps from their tables, registry changes from the registry row and the import
 * audit rows around its timestamps (an import records who ran it, not each row it touched).
 */
export async function getTenantTimeline(directory: TenantDirectory, db: PrismaClient, input: TenantTimelineInput): Promise<TenantTimeline> {
  const take = TIMELINE_MAX_ENTRIES;
  // The first request after start-up waits briefly for the cache; after that this is immediate.
  await directory.ready({ warmTimeoutMs: 5_000 }).catch(() => undefined);
  const [tenant, runs, migrationSteps] = await Promise.all([
    db.tenant.findUnique({ where: { id: input.id }, select: { createdAt: true, updatedAt: true, cluster: true } }),
    db.runbookRun.findMany({
      // A "planned" row is a dry-run preview nobody confirmed: nothing happened to the tenant.
      where: { tenantId: input.id, state: { not: "planned" } },
      orderBy: { requestedAt: "desc" },
      take,
      select: { id: true, runbookId: true, title: true, state: true, message: true, requestedByEmail: true, requestedAt: true, startedAt: true, endedAt: true },
    }),
    db.tenantMigrationEvent.findMany({
      where: { tenantId: input.id },
      orderBy: { at: "desc" },
      take,
      select: { id: true, at: true, fromState: true, toState: true, actorEmail: true, via: true, reason: true, evidence: true },
    }),
  ]);
  if (!tenant && !directory.hasTenant(input.id)) {
    throw new AppError("NOT_FOUND", { message: `tenant ${input.id} not in registry`, userMessage: `No tenant with id ${input.id} in the registry.` });
  }
  const registry: TimelineRegistryChange[] = [];
  if (tenant) {
    const imports = await db.auditEvent.findMany({
      where: {
        action: "registry.import",
        targetId: tenant.cluster,
        outcome: "success",
        OR: [tenant.createdAt, tenant.updatedAt].map((at) => ({
          at: { gte: new Date(at.getTime() - IMPORT_MATCH_MS), lte: new Date(at.getTime() + IMPORT_MATCH_MS) },
        })),
      },
      select: { at: true, actorEmail: true },
    });
    const importNear = (at: Date) =>
      imports
        .filter((row) => Math.abs(row.at.getTime() - at.getTime()) <= IMPORT_MATCH_MS)
        .sort((a, b) => Math.abs(a.at.getTime() - at.getTime()) - Math.abs(b.at.getTime() - at.getTime()))[0];
    const created = importNear(tenant.createdAt);
    registry.push({
      id: "created",
      at: tenant.createdAt,
      change: "created",
      actor: created?.actorEmail,
      detail: created ? "Imported into the registry" : undefined,
    });
    if (tenant.updatedAt.getTime() - tenant.createdAt.getTime() > 1_000) {
      const updated = importNear(tenant.updatedAt);
      registry.push({
        id: "updated",
        at: tenant.updatedAt,
        change: "updated",
        actor: updated?.actorEmail,
        detail: updated ? "Changed by a registry import" : undefined,
      });
    }
  }
  const events = directory.detail(input.id)?.events ?? [];
  return mergeTimeline({ events, runs, migrationSteps, registry }, { kinds: input.kinds, limit: input.limit });
}

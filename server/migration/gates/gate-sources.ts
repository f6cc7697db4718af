import "server-only";

import type { GateId } from "@/lib/migration/gates";
import { gateIdSchema } from "@/lib/migration/gate-schemas";
import { NATIVE_STATE, type TenantMigrationStateOrNative } from "@/lib/migration/tenant-states";
import { tenantMigrationStateSchema } from "@/lib/migration/tenant-state-schemas";
import type { TenantSummary } from "@/lib/tenants/types";
import type { PrismaClient } from "@/server/db/client";
import type { ClusterReads } from "@/server/kube/cluster-source";
import { backupRun, isBackupJob, type TenantDirectory } from "@/server/tenants/tenant-view";
import type { GateInputs, GateSucceededRun, GateTenant, GateWave } from "./gate-inputs";
import type { GateRequest } from "./evaluators";

/**
 * Gathers the gates' inputs: the cluster side from memory (the tenant directory and its cache),
 * the database side (migration states, finished waves, succeeded runs, the gates tasks name) as a
 * snapshot the monitor reloads every few seconds.
 */

/** Always shown, even before a checklist task names it (the example of a named runbook). */
export const DEFAULT_STAGING_RUNBOOK = "restart-instance";

export interface GateDbSnapshot {
  migrationStates: Map<string, TenantMigrationStateOrNative>;
  waves: GateWave[];
  succeededRuns: GateSucceededRun[];
  requests: GateRequest[];
}

export const EMPTY_DB_SNAPSHOT: GateDbSnapshot = { migrationStates: new Map(), waves: [], succeededRuns: [], requests: defaultRequests([]) };

function defaultRequests(stagingRunbooks: string[]): GateRequest[] {
  const parameterless = gateIdSchema.options.filter((id) => id !== "runbook-succeeded-in-staging").map((gateId) => ({ gateId, param: null }));
  const runbooks = [...new Set([DEFAULT_STAGING_RUNBOOK, ...stagingRunbooks])].sort();
  return [...parameterless, ...runbooks.map((param) => ({ gateId: "runbook-succeeded-in-staging" as GateId, param }))];
}

export async function loadGateDbSnapshot(db: PrismaClient): Promise<GateDbSnapshot> {
  const [migrations, waves, runs, tasks] = await Promise.all([
    db.tenantMigration.findMany({ select: { tenantId: true, state: true } }),
    // Only finished waves are judged; their tenants come with them.
    db.migrationWave.findMany({
      where: { state: "completed" },
      select: { id: true, name: true, state: true, tenants: { select: { tenantId: true }, orderBy: { position: "asc" } } },
    }),
    db.runbookRun.groupBy({ by: ["runbookId", "tenantId", "tenantName"], where: { state: "succeeded" }, _max: { endedAt: true } }),
    db.migrationTask.findMany({
      where: { gateId: "runbook-succeeded-in-staging", gateParam: { not: null } },
      select: { gateParam: true },
      distinct: ["gateParam"],
    }),
  ]);
  const migrationStates = new Map<string, TenantMigrationStateOrNative>();
  for (const row of migrations) {
    const state = tenantMigrationStateSchema.safeParse(row.state);
    migrationStates.set(row.tenantId, state.success ? state.data : NATIVE_STATE);
  }
  return {
    migrationStates,
    waves: waves.map((wave) => ({ id: wave.id, name: wave.name, state: wave.state, tenantIds: wave.tenants.map((t) => t.tenantId) })),
    succeededRuns: runs.map((run) => ({
      runbookId: run.runbookId,
      tenantId: run.tenantId,
      tenantName: run.tenantName,
      endedAt: run._max.endedAt?.toISOString() ?? null,
    })),
    requests: defaultRequests(tasks.map((task) => task.gateParam!).filter(Boolean)),
  };
}

/** The cluster side, read from memory: every tenant of the directory with its backups and volumes. */
export function collectGateInputs(directory: TenantDirectory, snapshot: GateDbSnapshot, now: Date): GateInputs {
  const tenants: GateTenant[] = directory.summaries().map((summary) => gateTenant(directory.clusterOf(summary.id), summary, snapshot));
  const clusters = directory.clusterSources();
  return {
    now,
    cacheWarm: clusters.every((cluster) => cluster.isWarm()),
    freshness: directory.freshness(),
    tenants,
    waves: snapshot.waves,
    succeededRuns: snapshot.succeededRuns,
  };
}

/** One tenant with its backups and volumes from its own cluster (none when the portal does not read that cluster). */
function gateTenant(cluster: ClusterReads | undefined, summary: TenantSummary, snapshot: GateDbSnapshot): GateTenant {
  return {
    id: summary.id,
    name: summary.name,
    instanceType: summary.instanceType,
    health: summary.health,
    healthReason: summary.healthReason,
    migrationState: snapshot.migrationStates.get(summary.id) ?? NATIVE_STATE,
    backups: (cluster?.listForTenant("jobs", summary.id) ?? [])
      .filter(isBackupJob)
      .map(backupRun)
      .map(({ name, status, startedAt, finishedAt }) => ({ name, status, startedAt, finishedAt })),
    volumes: (cluster?.listForTenant("persistentvolumeclaims", summary.id) ?? []).map((pvc) => {
      const usage = cluster?.volumeUsage(pvc.metadata.namespace ?? "", pvc.metadata.name);
      return {
        name: pvc.metadata.name,
        phase: pvc.status.phase ?? "Pending",
        usedPercent: usage && usage.capacityBytes > 0 ? (usage.usedBytes / usage.capacityBytes) * 100 : undefined,
      };
    }),
  };
}

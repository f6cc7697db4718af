import "server-only";

import type { FeedFreshness } from "@/lib/cluster/views";
import type { TenantMigrationStateOrNative } from "@/lib/migration/tenant-states";
import type { HealthState, InstanceType } from "@/lib/tenants/types";
import type { BackupRun } from "@/server/tenants/health";

/**
 * What the gates are judged on: plain data gathered from the cache, the tenant directory and the
 * database (gate-sources.ts), so every evaluator is a pure function tested on fixtures.
 */
export interface GateTenant {
  id: string;
  name: string;
  instanceType: InstanceType;
  health: HealthState;
  healthReason: string;
  /** "native" when the tenant has no TenantMigration row. */
  migrationState: TenantMigrationStateOrNative;
  /** The tenant's backup Jobs in the cache. */
  backups: Pick<BackupRun, "name" | "status" | "startedAt" | "finishedAt">[];
  /** The tenant's PVCs with their phase and kubelet usage (when the stats poll has seen them). */
  volumes: { name: string; phase: string; usedPercent?: number }[];
}

export interface GateWave {
  id: string;
  name: string;
  /** "draft", "running", "paused", "completed" or "cancelled". */
  state: string;
  tenantIds: string[];
}

/** A runbook run that succeeded (the only ones the staging gate looks at). */
export interface GateSucceededRun {
  runbookId: string;
  tenantId: string;
  tenantName: string;
  endedAt: string | null;
}

export interface GateInputs {
  now: Date;
  /** Every resource feed of the portal's cluster listed once. */
  cacheWarm: boolean;
  freshness: FeedFreshness[];
  tenants: GateTenant[];
  waves: GateWave[];
  succeededRuns: GateSucceededRun[];
}

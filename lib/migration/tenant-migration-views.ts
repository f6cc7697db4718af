import { z } from "zod";

import { tenantIdSchema } from "@/lib/tenants/tenant-id";
import type { TenantMigrationState, TenantMigrationStateOrNative } from "@/lib/migration/tenant-states";
import { tenantMigrationStateSchema, tenantStepReportSchema } from "@/lib/migration/tenant-state-schemas";

/** One recorded change of a tenant's migration state, as the tenant page's Migration panel lists it. */
export interface TenantMigrationEventView {
  id: string;
  at: string;
  from: TenantMigrationStateOrNative;
  to: TenantMigrationState;
  /** "person", "token", "wave" or "import". */
  via: string;
  actorEmail: string;
  reason: string | null;
  evidence: string | null;
}

export interface TenantMigrationView {
  tenantId: string;
  state: TenantMigrationStateOrNative;
  reason: string | null;
  waveId: string | null;
  updatedAt: string | null;
  updatedByEmail: string | null;
  /** The steps a person may attest from here (empty for a native tenant or a finished migration). */
  nextSteps: TenantMigrationState[];
  /** Newest first, at most HISTORY_LIMIT. */
  history: TenantMigrationEventView[];
}

export const TENANT_MIGRATION_HISTORY_LIMIT = 200;

/** `migration.tenants.recordStep`: an attested step, optionally only from the state the person saw. */
export const recordTenantStepInputSchema = tenantStepReportSchema.extend({
  tenantId: tenantIdSchema,
  expectFrom: z.union([tenantMigrationStateSchema, z.literal("native")]).optional(),
});
export type RecordTenantStepInput = z.infer<typeof recordTenantStepInputSchema>;

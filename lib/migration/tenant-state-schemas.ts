import { z } from "zod";

import { TENANT_MIGRATION_STATES } from "./tenant-states";

/** The zod schemas of a tenant's migration steps (tenant-states.ts, without zod, is what the browser imports). */

export const tenantMigrationStateSchema = z.enum(TENANT_MIGRATION_STATES);

/** An attested step, through the portal or the migration scripts' API. */
export const tenantStepReportSchema = z.object({
  to: tenantMigrationStateSchema,
  reason: z.string().trim().max(2000).optional(),
  evidence: z.string().trim().max(4000).optional(),
});
export type TenantStepReport = z.infer<typeof tenantStepReportSchema>;

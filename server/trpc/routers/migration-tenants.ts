import "server-only";

import { z } from "zod";

import { recordTenantStepInputSchema } from "@/lib/migration/tenant-migration-views";
import { tenantIdSchema } from "@/lib/tenants/tenant-id";
import { auditSourceOf } from "@/server/audit/request-source";
import { getTenantMigration, recordAttestedStep } from "@/server/migration/tenant-steps";
import { createTRPCRouter, requirePermission } from "@/server/trpc/init";

/** A tenant's migration state and history (everyone who may read the migration), and steps a PM attests. */
export const migrationTenantsRouter = createTRPCRouter({
  get: requirePermission("migration:read")
    .input(z.object({ tenantId: tenantIdSchema }))
    .query(({ ctx, input }) => getTenantMigration(ctx.db, input.tenantId)),

  recordStep: requirePermission("migration:edit")
    .input(recordTenantStepInputSchema)
    .mutation(({ ctx, input }) =>
      recordAttestedStep(ctx.db, {
        tenantId: input.tenantId,
        report: { to: input.to, reason: input.reason, evidence: input.evidence },
        actor: { user: ctx.session.user },
        via: "person",
        expectFrom: input.expectFrom,
        source: auditSourceOf(ctx.headers),
      }),
    ),
});

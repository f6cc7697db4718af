import "server-only";

import { tracked } from "@trpc/server";
import { z } from "zod";

import { clusterNameSchema } from "@/lib/cluster/cluster-name";
import { runtime } from "@/server/runtime";
import { getOrphanDetail, getTenantDetail, listTenants, watchTenantDetail } from "@/server/tenants/tenant-service";
import { tenantIdSchema } from "@/lib/tenants/tenant-id";
import { tenantListInputSchema } from "@/lib/tenants/tenant-list";
import { tenantTimelineInputSchema } from "@/lib/tenants/timeline-schemas";
import { getTenantTimeline } from "@/server/tenants/timeline-service";
import { createTRPCRouter, requirePermission } from "@/server/trpc/init";

export const tenantsRouter = createTRPCRouter({
  list: requirePermission("tenants:read")
    .input(tenantListInputSchema)
    .query(({ input }) => listTenants(runtime().tenants, input)),

  get: requirePermission("tenants:read")
    .input(z.object({ id: tenantIdSchema }))
    .query(({ input }) => getTenantDetail(runtime().tenants, input.id)),

  /** An instance id that workloads carry and the registry lacks: its objects, events and how it was found. */
  orphan: requirePermission("tenants:read")
    .input(z.object({ instanceId: tenantIdSchema, cluster: clusterNameSchema.optional() }))
    .query(({ input }) => getOrphanDetail(runtime().tenants, input.instanceId, input.cluster)),

  /** Kubernetes events, runbook runs, migration steps and registry changes, newest first. */
  timeline: requirePermission("tenants:read")
    .input(tenantTimelineInputSchema)
    .query(({ ctx, input }) => getTenantTimeline(runtime().tenants, ctx.db, input)),

  /** The tenant's fresh detail whenever its cluster objects change (first value: current state). */
  onChange: requirePermission("tenants:read")
    .input(z.object({ id: tenantIdSchema, lastEventId: z.string().nullish() }))
    .subscription(async ({ input, signal }) => {
      // An unknown tenant fails here, before the stream opens, so the error goes through the
      // AppError conversion as NOT_FOUND; thrown inside the generator it would arrive as INTERNAL.
      await getTenantDetail(runtime().tenants, input.id);
      return (async function* () {
        let sequence = 0;
        for await (const detail of watchTenantDetail(runtime().tenants, input.id, signal ?? new AbortController().signal)) {
          sequence += 1;
          yield tracked(`${Date.now()}-${sequence}`, detail);
        }
      })();
    }),
});

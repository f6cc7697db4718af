import "server-only";

import { tracked } from "@trpc/server";
import { z } from "zod";

import { getTenantDetail, listTenants, watchTenantDetail } from "@/server/tenants/tenant-service";
import { BILLING_STATUSES, HEALTH_STATES, INSTANCE_TYPES, PROBLEM_KINDS, TENANT_SORT_KEYS } from "@/lib/tenants/types";
import { createTRPCRouter, requirePermission } from "@/server/trpc/init";

const oneOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { error: () => `${what} must be one of: ${values.join(", ")}` });

const tenantId = z
  .string({ error: "Tenant id is required" })
  .trim()
  .regex(/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i, "Tenant id must be an instance UUID");

const tenantListInput = z.object({
  q: z.string().trim().max(200, "Search is limited to 200 characters").optional(),
  health: z.array(oneOf(HEALTH_STATES, "Health")).optional(),
  instanceType: z.array(oneOf(INSTANCE_TYPES, "Instance type")).optional(),
  billingStatus: z.array(oneOf(BILLING_STATUSES, "Billing status")).optional(),
  odooVersion: z.array(z.string().trim().regex(/^\d{1,3}\.\d{1,3}$/, "Odoo version looks like 17.0")).optional(),
  problem: z.array(oneOf(PROBLEM_KINDS, "Problem")).optional(),
  sort: oneOf(TENANT_SORT_KEYS, "Sort").optional(),
  dir: oneOf(["asc", "desc"] as const, "Sort direction").optional(),
  page: z.number().int("Page must be a whole number").min(1, "Page starts at 1").max(100_000).optional(),
  pageSize: z.number().int("Page size must be a whole number").min(1, "Page size is at least 1").max(200, "Page size is at most 200").optional(),
});

export const tenantsRouter = createTRPCRouter({
  list: requirePermission("tenants:read")
    .input(tenantListInput)
    .query(({ input }) => listTenants(input)),

  get: requirePermission("tenants:read")
    .input(z.object({ id: tenantId }))
    .query(({ input }) => getTenantDetail(input.id)),

  /** The tenant's fresh detail whenever its cluster objects change (first value: current state). */
  onChange: requirePermission("tenants:read")
    .input(z.object({ id: tenantId, lastEventId: z.string().nullish() }))
    .subscription(async function* ({ input, signal }) {
      let sequence = 0;
      for await (const detail of watchTenantDetail(input.id, signal ?? new AbortController().signal)) {
        sequence += 1;
        yield tracked(`${Date.now()}-${sequence}`, detail);
      }
    }),
});

import { z } from "zod";

import { clusterNameSchema } from "@/lib/cluster/cluster-name";
import { BILLING_STATUSES, HEALTH_STATES, INSTANCE_TYPES, PROBLEM_KINDS, TENANT_SORT_KEYS } from "@/lib/tenants/types";

/**
 * What a tenants-list query may ask for: one field schema each, shared by the `tenants.list`
 * input and the tenants page's URL parser (components/tenants/tenant-list-params.ts), which
 * only adds the URL's own rules (numbers arrive as text, the page sizes the UI offers).
 */
const oneOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { error: () => `${what} must be one of: ${values.join(", ")}` });

export const TENANT_LIST_FIELDS = {
  q: z.string().trim().max(200, "Search is limited to 200 characters"),
  health: z.array(oneOf(HEALTH_STATES, "Health")),
  instanceType: z.array(oneOf(INSTANCE_TYPES, "Instance type")),
  billingStatus: z.array(oneOf(BILLING_STATUSES, "Billing status")),
  odooVersion: z.array(
    z
      .string()
      .trim()
      .regex(/^\d{1,3}\.\d{1,3}$/, "Odoo version looks like 17.0"),
  ),
  problem: z.array(oneOf(PROBLEM_KINDS, "Problem")),
  cluster: z.array(clusterNameSchema),
  sort: oneOf(TENANT_SORT_KEYS, "Sort"),
  dir: oneOf(["asc", "desc"] as const, "Sort direction"),
  page: z.number().int("Page must be a whole number").min(1, "Page starts at 1").max(100_000, "Page is at most 100,000"),
  pageSize: z.number().int("Page size must be a whole number").min(1, "Page size is at least 1").max(200, "Page size is at most 200"),
};

/** Every field optional: the server fills in the defaults the tenants page uses. */
export const tenantListInputSchema = z.object(TENANT_LIST_FIELDS).partial();

export type TenantListInput = z.infer<typeof tenantListInputSchema>;

/** The fleet overview narrowed to some clusters (the overview's `?cluster=` filter); none: every cluster. */
export const fleetSummaryInputSchema = z.object({ cluster: TENANT_LIST_FIELDS.cluster }).partial();

export type FleetSummaryInput = z.infer<typeof fleetSummaryInputSchema>;

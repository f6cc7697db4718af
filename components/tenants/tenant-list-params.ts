import { BILLING_STATUSES, HEALTH_STATES, INSTANCE_TYPES, PROBLEM_KINDS, TENANT_SORT_KEYS, type TenantSortKey } from "@/lib/tenants/types";

import type { TenantListParams } from "./parse-tenant-list-params";

/**
 * The tenants page keeps its whole state in the URL, so a link reproduces the view. The page's
 * server component reads the URL (parse-tenant-list-params.ts, with zod); what is here is what the
 * browser needs to write it, so no zod reaches the browser for it.
 */
export const HEALTH_FILTER_VALUES = HEALTH_STATES;
export const PROBLEM_FILTER_VALUES = PROBLEM_KINDS;
export const INSTANCE_TYPE_VALUES = INSTANCE_TYPES;
export const BILLING_STATUS_VALUES = BILLING_STATUSES;
export const SORT_VALUES = TENANT_SORT_KEYS;
export const PAGE_SIZE_VALUES = [25, 50, 100] as const;

export type { TenantListParams, TenantSortKey };

export const DEFAULT_TENANT_LIST_PARAMS: TenantListParams = {
  q: "",
  health: [],
  instanceType: [],
  billingStatus: [],
  odooVersion: [],
  problem: [],
  cluster: [],
  sort: "health",
  dir: "asc",
  page: 1,
  pageSize: 25,
};

export const FILTER_LABELS = {
  health: "Health",
  instanceType: "Instance type",
  billingStatus: "Billing status",
  odooVersion: "Odoo version",
  problem: "Problem",
  cluster: "Cluster",
} as const;

export type TenantFilterName = keyof typeof FILTER_LABELS;

export const ARRAY_PARAMS = new Set<keyof TenantListParams>(["health", "instanceType", "billingStatus", "odooVersion", "problem", "cluster"]);

export type RawSearchParams = Record<string, string | string[] | undefined>;

/** The canonical query string: defaults are left out so links stay short. */
export function tenantListParamsToSearch(params: TenantListParams): string {
  const search = new URLSearchParams();
  if (params.q) search.set("q", params.q);
  for (const key of ARRAY_PARAMS) {
    for (const value of params[key] as string[]) search.append(key, value);
  }
  if (params.sort !== DEFAULT_TENANT_LIST_PARAMS.sort || params.dir !== DEFAULT_TENANT_LIST_PARAMS.dir) {
    search.set("sort", params.sort);
    search.set("dir", params.dir);
  }
  if (params.page !== 1) search.set("page", String(params.page));
  if (params.pageSize !== DEFAULT_TENANT_LIST_PARAMS.pageSize) search.set("pageSize", String(params.pageSize));
  const text = search.toString();
  return text ? `?${text}` : "";
}

import { z } from "zod";
import { TENANT_LIST_FIELDS } from "@/lib/tenants/tenant-list";
import { BILLING_STATUSES, HEALTH_STATES, INSTANCE_TYPES, PROBLEM_KINDS, TENANT_SORT_KEYS, type TenantSortKey } from "@/lib/tenants/types";

/**
 * The tenants page keeps its whole state in the URL, so a link reproduces the view. Each parameter
 * is validated on its own: a bad one falls back to its default and is reported as a friendly
 * message, while the good ones still apply (a typo in `sort` should not lose the search).
 */
export const HEALTH_FILTER_VALUES = HEALTH_STATES;
export const PROBLEM_FILTER_VALUES = PROBLEM_KINDS;
export const INSTANCE_TYPE_VALUES = INSTANCE_TYPES;
export const BILLING_STATUS_VALUES = BILLING_STATUSES;
export const SORT_VALUES = TENANT_SORT_KEYS;
export const PAGE_SIZE_VALUES = [25, 50, 100] as const;

export type { TenantSortKey };

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

/** The list input's own field schemas; the URL adds only that numbers arrive as text and the page sizes the UI offers. */
const PARAM_SCHEMAS = {
  ...TENANT_LIST_FIELDS,
  page: z.coerce.number().pipe(TENANT_LIST_FIELDS.page),
  pageSize: z.coerce.number().pipe(z.union(PAGE_SIZE_VALUES.map((size) => z.literal(size)))),
};

export type TenantListParams = { [K in keyof typeof PARAM_SCHEMAS]: z.output<(typeof PARAM_SCHEMAS)[K]> };

const ARRAY_PARAMS = new Set<keyof TenantListParams>(["health", "instanceType", "billingStatus", "odooVersion", "problem", "cluster"]);

export type RawSearchParams = Record<string, string | string[] | undefined>;

export function searchParamsToRecord(searchParams: URLSearchParams): RawSearchParams {
  const record: RawSearchParams = {};
  for (const key of new Set(searchParams.keys())) {
    const values = searchParams.getAll(key);
    record[key] = values.length > 1 ? values : values[0];
  }
  return record;
}

export function parseTenantListParams(raw: RawSearchParams): { params: TenantListParams; problems: string[] } {
  const params = { ...DEFAULT_TENANT_LIST_PARAMS } as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(PARAM_SCHEMAS) as (keyof TenantListParams)[]) {
    const value = raw[key];
    if (value === undefined || value === "") continue;
    // Arrays arrive as repeated keys (?health=down&health=degraded) or comma lists (?health=down,degraded).
    const input = ARRAY_PARAMS.has(key)
      ? [value]
          .flat()
          .flatMap((part) => part.split(","))
          .filter(Boolean)
      : Array.isArray(value)
        ? value[0]
        : value;
    const result = PARAM_SCHEMAS[key].safeParse(input);
    if (result.success) params[key] = result.data;
    else problems.push(`"${[value].flat().join(",")}" is not a valid ${describeParam(key)}; showing ${describeDefault(key)} instead.`);
  }
  return { params: params as TenantListParams, problems };
}

function describeParam(key: keyof TenantListParams): string {
  switch (key) {
    case "q":
      return "search (at most 200 characters)";
    case "sort":
      return "sort column";
    case "dir":
      return "sort direction";
    case "page":
      return "page number";
    case "pageSize":
      return "page size (25, 50 or 100)";
    default:
      return `${FILTER_LABELS[key as TenantFilterName].toLowerCase()} filter`;
  }
}

function describeDefault(key: keyof TenantListParams): string {
  if (key === "page") return "the first page";
  if (key === "pageSize") return "25 per page";
  if (key === "cluster") return "all clusters";
  if (ARRAY_PARAMS.has(key)) return "all values";
  if (key === "q") return "all tenants";
  return "the default order";
}

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

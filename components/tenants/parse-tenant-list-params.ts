import { z } from "zod";

import { TENANT_LIST_FIELDS } from "@/lib/tenants/tenant-list";

import { ARRAY_PARAMS, DEFAULT_TENANT_LIST_PARAMS, FILTER_LABELS, PAGE_SIZE_VALUES, type RawSearchParams, type TenantFilterName } from "./tenant-list-params";

/**
 * Reads the tenants page's URL, on the server (the page passes the result to the view). Each
 * parameter is validated on its own: a bad one falls back to its default and is reported as a
 * friendly message, while the good ones still apply (a typo in `sort` should not lose the search).
 */

/** The list input's own field schemas; the URL adds only that numbers arrive as text and the page sizes the UI offers. */
const PARAM_SCHEMAS = {
  ...TENANT_LIST_FIELDS,
  page: z.coerce.number().pipe(TENANT_LIST_FIELDS.page),
  pageSize: z.coerce.number().pipe(z.union(PAGE_SIZE_VALUES.map((size) => z.literal(size)))),
};

export type TenantListParams = { [K in keyof typeof PARAM_SCHEMAS]: z.output<(typeof PARAM_SCHEMAS)[K]> };

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

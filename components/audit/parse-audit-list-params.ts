import { z } from "zod";

import { AUDIT_OUTCOMES } from "@/lib/audit/audit-list";
import { AUDIT_LIST_FIELDS } from "@/lib/audit/audit-list-schemas";

import { DEFAULT_AUDIT_LIST_PARAMS, PAGE_SIZE_VALUES, type RawSearchParams } from "./audit-list-params";

/**
 * Reads the Audit page's URL, on the server (the page passes the result to the view). Each
 * parameter is validated on its own: a bad one falls back to its default and is reported, while
 * the good ones still apply.
 */

/** The list input's own field schemas; the URL adds only that numbers arrive as text and the page sizes the UI offers. */
const PARAM_SCHEMAS = {
  ...AUDIT_LIST_FIELDS,
  page: z.coerce.number().pipe(AUDIT_LIST_FIELDS.page),
  pageSize: z.coerce.number().pipe(z.union(PAGE_SIZE_VALUES.map((size) => z.literal(size)))),
};

type ParamName = keyof typeof PARAM_SCHEMAS;

/** Text filters are "" when unset (an input's value); the outcome is undefined. */
export type AuditListParams = {
  [K in ParamName]: K extends "outcome" ? z.output<(typeof PARAM_SCHEMAS)[K]> | undefined : z.output<(typeof PARAM_SCHEMAS)[K]>;
};

const PARAM_DESCRIPTIONS: Record<ParamName, string> = {
  who: "actor filter (at most 254 characters)",
  action: "action filter",
  target: "target filter (at most 200 characters)",
  outcome: `outcome (${AUDIT_OUTCOMES.join(", ")})`,
  from: "start time",
  to: "end time",
  page: "page number",
  pageSize: "page size (25, 50 or 100)",
};

export function parseAuditListParams(raw: RawSearchParams): { params: AuditListParams; problems: string[] } {
  const params = { ...DEFAULT_AUDIT_LIST_PARAMS } as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(PARAM_SCHEMAS) as ParamName[]) {
    const value = [raw[key]].flat()[0];
    if (value === undefined || value === "") continue;
    const result = PARAM_SCHEMAS[key].safeParse(value);
    if (result.success) params[key] = result.data;
    else problems.push(`"${value}" is not a valid ${PARAM_DESCRIPTIONS[key]}; it is ignored.`);
  }
  return { params: params as AuditListParams, problems };
}

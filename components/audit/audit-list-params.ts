import { z } from "zod";

import { AUDIT_LIST_FIELDS, AUDIT_OUTCOMES, type AuditFilter } from "@/lib/audit/audit-list";

/**
 * The Audit page keeps its whole state in the URL, so a link reproduces the view (and the CSV
 * export takes the same query string). Each parameter is validated on its own: a bad one falls
 * back to its default and is reported, while the good ones still apply.
 */
export const OUTCOME_VALUES = AUDIT_OUTCOMES;
export const PAGE_SIZE_VALUES = [25, 50, 100] as const;

export const DEFAULT_AUDIT_LIST_PARAMS: AuditListParams = {
  who: "",
  action: "",
  target: "",
  outcome: undefined,
  from: "",
  to: "",
  page: 1,
  pageSize: 50,
};

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

export type RawSearchParams = Record<string, string | string[] | undefined>;

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

/** The filters alone, without unset ones: what `audit.list` and the export take. */
export function auditFilterOf(params: AuditListParams): AuditFilter {
  const filter: AuditFilter = {};
  if (params.who) filter.who = params.who;
  if (params.action) filter.action = params.action;
  if (params.target) filter.target = params.target;
  if (params.outcome) filter.outcome = params.outcome;
  if (params.from) filter.from = params.from;
  if (params.to) filter.to = params.to;
  return filter;
}

/** The `audit.list` input for these params: the filters plus the page. */
export function auditListInputOf(params: AuditListParams) {
  return { ...auditFilterOf(params), page: params.page, pageSize: params.pageSize };
}

/** The canonical query string: defaults are left out so links stay short. */
export function auditListParamsToSearch(params: AuditListParams): string {
  const search = new URLSearchParams(Object.entries(auditFilterOf(params)));
  if (params.page !== 1) search.set("page", String(params.page));
  if (params.pageSize !== DEFAULT_AUDIT_LIST_PARAMS.pageSize) search.set("pageSize", String(params.pageSize));
  const text = search.toString();
  return text ? `?${text}` : "";
}

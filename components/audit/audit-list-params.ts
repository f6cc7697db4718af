import { AUDIT_OUTCOMES } from "@/lib/audit/audit-list";
import type { AuditFilter } from "@/lib/audit/audit-list-schemas";

import type { AuditListParams } from "./parse-audit-list-params";

/**
 * The Audit page keeps its whole state in the URL, so a link reproduces the view (and the CSV
 * export takes the same query string). The page's server component reads the URL
 * (parse-audit-list-params.ts, with zod); what is here is what the browser needs to write it.
 */
export const OUTCOME_VALUES = AUDIT_OUTCOMES;
export const PAGE_SIZE_VALUES = [25, 50, 100] as const;

export type { AuditListParams };

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

export type RawSearchParams = Record<string, string | string[] | undefined>;

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

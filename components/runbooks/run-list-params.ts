import type { RunListInput } from "@/lib/runbooks/run-list-schema";

/**
 * The Runs page keeps its filters in the URL (a link reproduces the view). The page's server
 * component reads the URL (parse-run-list-params.ts, with zod); what is here is what the browser
 * needs to write it.
 */
export const RUN_FILTER_NAMES = ["tenantId", "runbookId", "requestedBy", "state", "from", "to"] as const;
export type RunFilterName = (typeof RUN_FILTER_NAMES)[number];
export type RunListFilters = Pick<RunListInput, RunFilterName>;

export type RawSearchParams = Record<string, string | string[] | undefined>;

/** The canonical query string: unset filters are left out. */
export function runListParamsToSearch(filters: RunListFilters): string {
  const search = new URLSearchParams();
  for (const name of RUN_FILTER_NAMES) {
    const value = filters[name];
    if (value) search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** The `runbooks.list` input of these filters, without the cursor (the infinite query adds it). */
export function runListInputOf(filters: RunListFilters): Omit<RunListInput, "cursor"> {
  return { ...filters, limit: 50 };
}

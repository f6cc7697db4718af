import { runListInputSchema, type RunListInput } from "@/lib/runbooks/run-views";

/**
 * The Runs page keeps its filters in the URL (a link reproduces the view). Each parameter is
 * checked with its own field of `runListInputSchema`, the router's input: a bad one is dropped
 * and reported while the good ones still apply.
 */
export const RUN_FILTER_NAMES = ["tenantId", "runbookId", "requestedBy", "state", "from", "to"] as const;
export type RunFilterName = (typeof RUN_FILTER_NAMES)[number];
export type RunListFilters = Pick<RunListInput, RunFilterName>;

export type RawSearchParams = Record<string, string | string[] | undefined>;

const DESCRIPTIONS: Record<RunFilterName, string> = {
  tenantId: "tenant id",
  runbookId: "runbook",
  requestedBy: "requester filter",
  state: "run state",
  from: "start time",
  to: "end time",
};

export function parseRunListParams(raw: RawSearchParams): { filters: RunListFilters; problems: string[] } {
  const filters: Record<string, string> = {};
  const problems: string[] = [];
  for (const name of RUN_FILTER_NAMES) {
    const value = [raw[name]].flat()[0]?.trim();
    if (!value) continue;
    const result = runListInputSchema.shape[name].safeParse(value);
    if (result.success && result.data !== undefined) filters[name] = result.data;
    else problems.push(`"${value}" is not a valid ${DESCRIPTIONS[name]}; it is ignored.`);
  }
  return { filters: filters as RunListFilters, problems };
}

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

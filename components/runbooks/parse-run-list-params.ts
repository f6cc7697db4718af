import { runListInputSchema } from "@/lib/runbooks/run-list-schema";

import { RUN_FILTER_NAMES, type RawSearchParams, type RunFilterName, type RunListFilters } from "./run-list-params";

/**
 * Reads the Runs page's URL, on the server (the page passes the result to the view). Each
 * parameter is checked with its own field of `runListInputSchema`, the router's input: a bad one
 * is dropped and reported while the good ones still apply.
 */

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

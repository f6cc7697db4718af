import type { ChecklistFilter } from "@/lib/migration/checklist-schemas";

/**
 * The Migration page keeps its filters and the open task in the URL, so a link reproduces the
 * view (and the export takes the same filters). The page's server component reads the URL
 * (parse-checklist-params.ts, with zod); what is here is what the browser needs to write it.
 */
export type RawSearchParams = Record<string, string | string[] | undefined>;

export interface ChecklistParams {
  filter: ChecklistFilter;
  /** The task whose details are open. */
  task: string | undefined;
}

/** The filter fields in the URL, in the order links write them. */
export const FILTER_KEYS = ["week", "workstream", "status", "owner", "priority"] as const;

/** The canonical query string (unset filters left out); `extra` adds e.g. the export format. */
export function checklistParamsToSearch(params: ChecklistParams, extra: Record<string, string> = {}): string {
  const search = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = params.filter[key];
    if (value !== undefined) search.set(key, String(value));
  }
  if (params.task) search.set("task", params.task);
  for (const [key, value] of Object.entries(extra)) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : "";
}

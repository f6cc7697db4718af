import { z } from "zod";

import { checklistFilterSchema, type ChecklistFilter } from "@/lib/migration/checklist";

/**
 * The Migration page keeps its filters and the open task in the URL, so a link reproduces the
 * view (and the export takes the same filters). A bad parameter is ignored and reported; the good
 * ones still apply.
 */
export type RawSearchParams = Record<string, string | string[] | undefined>;

export interface ChecklistParams {
  filter: ChecklistFilter;
  /** The task whose details are open. */
  task: string | undefined;
}

const FILTER_FIELDS = checklistFilterSchema.shape;
const FILTER_KEYS = ["week", "workstream", "status", "owner", "priority"] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

const DESCRIPTIONS: Record<FilterKey | "task", string> = {
  week: "week (1 to 10)",
  workstream: "workstream",
  status: "status",
  owner: "owner",
  priority: "priority",
  task: "task id",
};

export function parseChecklistParams(raw: RawSearchParams): { params: ChecklistParams; problems: string[] } {
  const filter: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const key of FILTER_KEYS) {
    const value = [raw[key]].flat()[0];
    if (value === undefined || value === "") continue;
    const result = FILTER_FIELDS[key].safeParse(value);
    if (result.success && result.data !== undefined) filter[key] = result.data;
    else problems.push(`"${value}" is not a valid ${DESCRIPTIONS[key]}; it is ignored.`);
  }
  let task: string | undefined;
  const taskValue = [raw.task].flat()[0];
  if (taskValue) {
    if (z.uuid().safeParse(taskValue).success) task = taskValue;
    else problems.push(`"${taskValue}" is not a valid ${DESCRIPTIONS.task}; it is ignored.`);
  }
  return { params: { filter: filter as ChecklistFilter, task }, problems };
}

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

import { z } from "zod";

import { checklistFilterSchema, type ChecklistFilter } from "@/lib/migration/checklist-schemas";

import { FILTER_KEYS, type ChecklistParams, type RawSearchParams } from "./checklist-params";

/**
 * Reads the Migration page's URL, on the server (the page passes the result to the view). A bad
 * parameter is ignored and reported; the good ones still apply.
 */

const FILTER_FIELDS = checklistFilterSchema.shape;
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

"use client";

import Link from "next/link";

import { Field } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { PLAN_WEEKS, PRIORITIES, PRIORITY_LABELS, TASK_STATUSES, TASK_STATUS_LABELS, WORKSTREAMS, WORKSTREAM_LABELS } from "@/lib/migration/checklist";
import type { ChecklistFilter } from "@/lib/migration/checklist-schemas";
import type { TaskOwnerView } from "@/server/migration/checklist/checklist-service";

type FilterKey = keyof ChecklistFilter;

/** The checklist's filters; each change goes to the URL at once (a select has nothing to type). */
export function ChecklistFilters({
  filter,
  owners,
  onChange,
  clearHref,
}: {
  filter: ChecklistFilter;
  owners: TaskOwnerView[];
  onChange: (key: FilterKey, value: string) => void;
  clearHref: string | null;
}) {
  const select = (key: FilterKey, label: string, options: [string, string][]) => (
    <Field label={label} className="min-w-0 flex-1 basis-36">
      {({ id }) => (
        <Select id={id} value={filter[key] === undefined ? "" : String(filter[key])} onChange={(event) => onChange(key, event.target.value)}>
          <option value="">All</option>
          {options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
  return (
    <div className="flex flex-wrap items-end gap-2" role="group" aria-label="Checklist filters">
      {select(
        "week",
        "Week",
        Array.from({ length: PLAN_WEEKS }, (_, index) => [String(index + 1), `Week ${index + 1}`]),
      )}
      {select(
        "workstream",
        "Workstream",
        WORKSTREAMS.map((workstream) => [workstream, WORKSTREAM_LABELS[workstream]]),
      )}
      {select(
        "status",
        "Status",
        TASK_STATUSES.map((status) => [status, TASK_STATUS_LABELS[status]]),
      )}
      {select("owner", "Owner", [["none", "Nobody"], ...owners.map((owner): [string, string] => [owner.id, owner.name || owner.email])])}
      {select(
        "priority",
        "Priority",
        PRIORITIES.map((priority) => [priority, PRIORITY_LABELS[priority]]),
      )}
      {clearHref !== null && (
        <Link href={clearHref} scroll={false} className="pb-2 text-sm font-medium text-blue-700 underline">
          Clear filters
        </Link>
      )}
    </div>
  );
}

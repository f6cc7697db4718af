"use client";

import Link from "next/link";

import { GateBadge } from "@/components/migration/gate-badge";
import { Badge } from "@/components/ui/badge";
import { PRIORITY_LABELS, TASK_STATUS_LABELS, WORKSTREAM_LABELS } from "@/lib/migration/checklist";
import type { GateResultView } from "@/lib/migration/gates";
import type { ChecklistTaskView } from "@/server/migration/checklist/checklist-service";

import { PRIORITY_TONE, STATUS_TONE } from "./task-style";

/** The checklist grouped by week; each task opens its details through `hrefOf`. */
export function ChecklistWeeks({
  tasks,
  today,
  hrefOf,
  gates,
  attested,
}: {
  tasks: ChecklistTaskView[];
  today: string;
  hrefOf: (taskId: string) => string;
  /** The gates' current results by gate key (from the gates work); a task's badge shows its own. */
  gates?: Record<string, GateResultView>;
  /** Tasks with a manual check that holds now, with who attested it. */
  attested?: Map<string, string>;
}) {
  if (tasks.length === 0) {
    return <p className="rounded-lg border border-slate-200 bg-white px-4 py-6 text-center text-sm text-slate-600">No task matches these filters.</p>;
  }
  const weeks = [...new Set(tasks.map((task) => task.week))].sort((a, b) => a - b);
  return (
    <div className="space-y-4">
      {weeks.map((week) => {
        const own = tasks.filter((task) => task.week === week);
        const done = own.filter((task) => task.status === "done").length;
        return (
          <section
            key={week}
            aria-labelledby={`migration-week-${week}`}
            className="rounded-lg border border-slate-200 bg-white shadow-xs"
            data-testid={`migration-week-${week}`}
          >
            <header className="flex items-baseline justify-between gap-2 border-b border-slate-200 px-4 py-2">
              <h2 id={`migration-week-${week}`} className="text-sm font-semibold">
                Week {week}
              </h2>
              <span className="text-xs text-slate-600 tabular">
                {done} of {own.length} done
              </span>
            </header>
            <ul className="divide-y divide-slate-100">
              {own.map((task) => {
                const overdue = task.status !== "done" && task.dueDate !== null && task.dueDate < today;
                return (
                  <li key={task.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2" data-testid={`migration-task-${task.seedKey ?? task.id}`}>
                    <div className="min-w-0 flex-1 basis-64">
                      <Link href={hrefOf(task.id)} scroll={false} className="font-medium text-slate-900 hover:underline">
                        {task.title}
                      </Link>
                      <p className="text-xs text-slate-600">
                        {WORKSTREAM_LABELS[task.workstream]}
                        {task.evidenceCount > 0 ? ` · ${task.evidenceCount} evidence` : ""}
                        {task.status === "blocked" && task.blockedReason ? ` · Blocked: ${task.blockedReason}` : ""}
                      </p>
                    </div>
                    <div className="flex flex-wrap items-center gap-2 text-xs">
                      <Badge tone={STATUS_TONE[task.status]} data-testid="migration-task-status">
                        {TASK_STATUS_LABELS[task.status]}
                      </Badge>
                      <Badge tone={PRIORITY_TONE[task.priority]}>{PRIORITY_LABELS[task.priority]}</Badge>
                      {task.gateKey && <GateBadge gate={gates?.[task.gateKey]} />}
                      {attested?.has(task.id) && (
                        <Badge tone="success" title={attested.get(task.id)}>
                          Attested
                        </Badge>
                      )}
                      <span className="text-slate-700">{task.owner ? task.owner.name || task.owner.email : "No owner"}</span>
                      <span className={overdue ? "font-medium text-red-700" : "text-slate-600"}>
                        {task.dueDate ? `Due ${task.dueDate}` : "No due date"}
                        {overdue ? " (overdue)" : ""}
                      </span>
                    </div>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

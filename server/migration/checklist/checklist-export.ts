import "server-only";

import Papa from "papaparse";

import { PRIORITY_LABELS, TASK_STATUS_LABELS, WORKSTREAM_LABELS } from "@/lib/migration/checklist";
import { GATE_TITLES } from "@/lib/migration/gates";

import type { ChecklistTaskView } from "./checklist-service";

export const CHECKLIST_CSV_COLUMNS = [
  "week",
  "workstream",
  "title",
  "priority",
  "status",
  "blockedReason",
  "owner",
  "dueDate",
  "doneAt",
  "automaticCheck",
  "evidence",
  "acceptance",
] as const;

// Titles and reasons are typed by people: a cell starting with = + - @ must not run as a formula.
const CSV_OPTIONS = { escapeFormulae: true, newline: "\r\n" } as const;

function gateText(task: ChecklistTaskView): string {
  if (!task.gateId) return "";
  return task.gateParam ? `${GATE_TITLES[task.gateId]} (${task.gateParam})` : GATE_TITLES[task.gateId];
}

export function checklistCsv(tasks: readonly ChecklistTaskView[]): string {
  const rows = tasks.map((task) => [
    task.week,
    WORKSTREAM_LABELS[task.workstream] ?? task.workstream,
    task.title,
    PRIORITY_LABELS[task.priority] ?? task.priority,
    TASK_STATUS_LABELS[task.status] ?? task.status,
    task.blockedReason ?? "",
    task.owner?.email ?? "",
    task.dueDate ?? "",
    task.doneAt ?? "",
    gateText(task),
    task.evidenceCount,
    task.acceptance,
  ]);
  return `${Papa.unparse({ fields: [...CHECKLIST_CSV_COLUMNS], data: rows }, CSV_OPTIONS)}\r\n`;
}

/** Markdown table cells: pipes and line breaks would end the cell or the row. */
function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** The checklist as a Markdown document: one section per week, a checkbox line per task. */
export function checklistMarkdown(tasks: readonly ChecklistTaskView[], options: { generatedAt: Date }): string {
  const done = tasks.filter((task) => task.status === "done").length;
  const lines = [
    `# Migration checklist`,
    "",
    `${done} of ${tasks.length} tasks done · exported ${options.generatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC`,
    "",
  ];
  const weeks = [...new Set(tasks.map((task) => task.week))].sort((a, b) => a - b);
  for (const week of weeks) {
    lines.push(
      `## Week ${week}`,
      "",
      "| Done | Task | Workstream | Priority | Status | Owner | Due | Acceptance |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const task of tasks.filter((t) => t.week === week)) {
      const status = task.status === "blocked" && task.blockedReason ? `Blocked: ${task.blockedReason}` : TASK_STATUS_LABELS[task.status];
      lines.push(
        `| ${task.status === "done" ? "[x]" : "[ ]"} | ${cell(task.title)} | ${WORKSTREAM_LABELS[task.workstream]} | ${PRIORITY_LABELS[task.priority]} | ${cell(status)} | ${cell(task.owner?.email ?? "")} | ${task.dueDate ?? ""} | ${cell(task.acceptance)} |`,
      );
    }
    lines.push("");
  }
  return lines.join("\n");
}

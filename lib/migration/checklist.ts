/**
 * The migration checklist's contract, shared by the router, the URL of the Migration page, the
 * forms and the export: the 10-week plan's workstreams, priorities and task statuses. Its zod
 * schemas are in checklist-schemas.ts, so the browser, which imports this file, gets no zod.
 */
export const WORKSTREAMS = ["infrastructure", "code-changes", "testing", "database-migration", "deployment", "operations", "scaling", "security"] as const;
export type Workstream = (typeof WORKSTREAMS)[number];

export const WORKSTREAM_LABELS: Record<Workstream, string> = {
  infrastructure: "Infrastructure",
  "code-changes": "Code changes",
  testing: "Testing",
  "database-migration": "Database migration",
  deployment: "Deployment",
  operations: "Operations",
  scaling: "Scaling",
  security: "Security",
};

export const PRIORITIES = ["must-have", "important", "nice-to-have"] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_LABELS: Record<Priority, string> = { "must-have": "Must-have", important: "Important", "nice-to-have": "Nice-to-have" };

export const TASK_STATUSES = ["todo", "in-progress", "blocked", "done"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_STATUS_LABELS: Record<TaskStatus, string> = { todo: "To do", "in-progress": "In progress", blocked: "Blocked", done: "Done" };

export const PLAN_WEEKS = 10;

/** Evidence files travel base64-encoded inside the tRPC request; 5 MB keeps one request modest. */
export const MAX_EVIDENCE_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_EVIDENCE_FILE_LABEL = "5 MB";

export const BLOCKED_REASON_MAX = 500;

export const EXPORT_FORMATS = ["csv", "md"] as const;

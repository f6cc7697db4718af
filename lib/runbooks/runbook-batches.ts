import type { RunbookBatchSelection } from "@/lib/runbooks/runbook-batch-schemas";
import type { RunbookId } from "@/lib/runbooks/runbook-inputs";
import type { RunState } from "@/lib/runbooks/run-views";

/**
 * A run over a selection: one runbook run for each tenant the tenants list's filters match (or a
 * hand-picked list), at most `concurrency` at a time, each with its own lock, idempotency key and
 * audit. A selection larger than the configured size, or one with high-risk runs (stopping a
 * production instance), waits for a second person's approval of the whole selection.
 *
 * - awaiting-approval: nothing runs until an approver says yes (or it is rejected / withdrawn).
 * - running: the driver starts the tenants' runs in list order.
 * - paused: by a person, or by the failure budget (pausedReason says which).
 * - completed: every tenant's run ended. cancelled / rejected: stopped before the end.
 */
export const RUNBOOK_BATCH_STATES = ["awaiting-approval", "running", "paused", "completed", "cancelled", "rejected"] as const;
export type RunbookBatchState = (typeof RUNBOOK_BATCH_STATES)[number];

export const RUNBOOK_BATCH_STATE_LABELS: Record<RunbookBatchState, string> = {
  "awaiting-approval": "Awaiting approval",
  running: "Running",
  paused: "Paused",
  completed: "Completed",
  cancelled: "Cancelled",
  rejected: "Rejected",
};

/** A tenant of the selection: waiting, its run going, ended, or passed over. */
export const RUNBOOK_BATCH_ITEM_STATES = ["pending", "running", "succeeded", "failed", "skipped", "interrupted", "cancelled"] as const;
export type RunbookBatchItemState = (typeof RUNBOOK_BATCH_ITEM_STATES)[number];

export const RUNBOOK_BATCH_ITEM_STATE_LABELS: Record<RunbookBatchItemState, string> = {
  pending: "Waiting",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  skipped: "Skipped",
  interrupted: "Interrupted",
  cancelled: "Not run",
};

/**
 * The runbooks that make sense over many tenants at once: those acting on the tenant as a whole.
 * A pod's or a volume's runbook needs a target only one tenant has.
 */
export const BATCH_RUNBOOK_IDS = [
  "restart-instance",
  "stop-instance",
  "start-instance",
  "back-up-now",
  "verify-instance",
] as const satisfies readonly RunbookId[];
export type BatchRunbookId = (typeof BATCH_RUNBOOK_IDS)[number];

/** Tenants of a preview that would not run, grouped by why. */
export interface RunbookBatchSkipGroup {
  reason: string;
  count: number;
  /** A few of them, by name. */
  examples: string[];
}

export interface RunbookBatchPreviewView {
  runbookId: BatchRunbookId;
  title: string;
  /** Tenants selected. */
  size: number;
  /** Of them, those whose preconditions pass now. */
  runnable: number;
  /** Of the runnable, those whose run is high risk (they need approval too). */
  highRisk: number;
  skipped: RunbookBatchSkipGroup[];
  /** The first tenants, in the order they will run. */
  sample: { id: string; name: string }[];
  needsApproval: boolean;
  /** Why an approval is needed, in plain words. */
  approvalReasons: string[];
  approvalSize: number;
}

export type RunbookBatchCounts = Record<RunbookBatchItemState, number>;

export interface RunbookBatchView {
  id: string;
  runbookId: BatchRunbookId;
  title: string;
  input: Record<string, unknown>;
  /** The filters in words ("health: down · search: acme"), or "12 tenants picked by hand". */
  selectionLabel: string;
  selection: RunbookBatchSelection;
  size: number;
  concurrency: number;
  failureBudget: number;
  state: RunbookBatchState;
  needsApproval: boolean;
  pausedReason: string | null;
  requestedBy: { id: string; email: string };
  decidedBy: { email: string; at: string; comment: string | null } | null;
  counts: RunbookBatchCounts;
  /** Failed runs that count against the budget now (failures before a resume do not). */
  countedFailures: number;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

export interface RunbookBatchItemView {
  tenantId: string;
  tenantName: string;
  position: number;
  attempt: number;
  state: RunbookBatchItemState;
  runId: string | null;
  runState: RunState | null;
  message: string | null;
  startedAt: string | null;
  endedAt: string | null;
}

export interface RunbookBatchItemsResult {
  items: RunbookBatchItemView[];
  total: number;
  page: number;
  pageSize: number;
}

/** The idempotency key of one tenant's run in a batch: the same for every retry of the same attempt. */
export function batchRunKey(batchId: string, tenantId: string, attempt: number): string {
  return `selection:${batchId}:${tenantId}:${attempt}`;
}

/** The selection in words, for the batch page and the audit log. */
export function describeSelection(selection: RunbookBatchSelection): string {
  if ("tenantIds" in selection) return `${selection.tenantIds.length} ${selection.tenantIds.length === 1 ? "tenant" : "tenants"} picked by hand`;
  const filter = selection.filter;
  const parts: string[] = [];
  if (filter.q) parts.push(`search “${filter.q}”`);
  const facets = [
    ["health", filter.health],
    ["instance type", filter.instanceType],
    ["billing", filter.billingStatus],
    ["Odoo", filter.odooVersion],
    ["problem", filter.problem],
    ["cluster", filter.cluster],
  ] as const;
  for (const [label, values] of facets) if (values?.length) parts.push(`${label}: ${values.join(", ")}`);
  return parts.length > 0 ? parts.join(" · ") : "every tenant";
}

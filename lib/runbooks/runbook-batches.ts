import { z } from "zod";

import { RUNBOOK_INPUT_SCHEMAS, type RunbookId } from "@/lib/runbooks/runbook-inputs";
import type { RunState } from "@/lib/runbooks/run-views";
import { tenantIdSchema } from "@/lib/tenants/tenant-id";
import { TENANT_LIST_FIELDS } from "@/lib/tenants/tenant-list";

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

/** The tenants list's filters (search and facets, in its sort order) or hand-picked tenants. */
export const runbookBatchSelectionSchema = z.union([
  z
    .object({
      filter: z
        .object({
          q: TENANT_LIST_FIELDS.q,
          health: TENANT_LIST_FIELDS.health,
          instanceType: TENANT_LIST_FIELDS.instanceType,
          billingStatus: TENANT_LIST_FIELDS.billingStatus,
          odooVersion: TENANT_LIST_FIELDS.odooVersion,
          problem: TENANT_LIST_FIELDS.problem,
          cluster: TENANT_LIST_FIELDS.cluster,
          sort: TENANT_LIST_FIELDS.sort,
          dir: TENANT_LIST_FIELDS.dir,
        })
        .partial()
        .strict(),
    })
    .strict(),
  z.object({ tenantIds: z.array(tenantIdSchema).min(1, "Pick at least one tenant.").max(10_000, "Pick at most 10,000 tenants.") }).strict(),
]);
export type RunbookBatchSelection = z.infer<typeof runbookBatchSelectionSchema>;

/** A batch runbook and its input (the same schemas the single-tenant dialog uses). */
export const batchRunbookRequestSchema = z.discriminatedUnion("runbookId", [
  z.object({ runbookId: z.literal("restart-instance"), input: RUNBOOK_INPUT_SCHEMAS["restart-instance"] }),
  z.object({ runbookId: z.literal("stop-instance"), input: RUNBOOK_INPUT_SCHEMAS["stop-instance"] }),
  z.object({ runbookId: z.literal("start-instance"), input: RUNBOOK_INPUT_SCHEMAS["start-instance"] }),
  z.object({ runbookId: z.literal("back-up-now"), input: RUNBOOK_INPUT_SCHEMAS["back-up-now"] }),
  z.object({ runbookId: z.literal("verify-instance"), input: RUNBOOK_INPUT_SCHEMAS["verify-instance"] }),
]);
export type BatchRunbookRequest = z.infer<typeof batchRunbookRequestSchema>;

export const runbookBatchPreviewInputSchema = z.object({ request: batchRunbookRequestSchema, selection: runbookBatchSelectionSchema }).strict();
export type RunbookBatchPreviewInput = z.infer<typeof runbookBatchPreviewInputSchema>;

export const runbookBatchCreateInputSchema = runbookBatchPreviewInputSchema
  .extend({
    concurrency: z.number().int("Concurrency is a whole number.").min(1, "Run at least 1 at a time.").max(50, "Run at most 50 at a time."),
    failureBudget: z.number().int("The failure budget is a whole number.").min(1, "Allow at least 1 failure.").max(10_000),
    /** Made once per dialog: a double click or a retried request makes one batch. */
    idempotencyKey: z.string().trim().min(8).max(200),
  })
  .strict();
export type RunbookBatchCreateInput = z.infer<typeof runbookBatchCreateInputSchema>;

export const runbookBatchIdInputSchema = z.object({ batchId: z.uuid("Batch ids are UUIDs.") }).strict();
export const runbookBatchDecisionInputSchema = runbookBatchIdInputSchema.extend({ comment: z.string().trim().max(500).default("") }).strict();
export const runbookBatchRejectInputSchema = runbookBatchIdInputSchema
  .extend({ comment: z.string().trim().min(3, "Say why you reject it (at least 3 characters).").max(500) })
  .strict();
export const runbookBatchItemsInputSchema = runbookBatchIdInputSchema
  .extend({
    state: z.enum(RUNBOOK_BATCH_ITEM_STATES).optional(),
    page: z.number().int().min(1).max(10_000).default(1),
    pageSize: z.number().int().min(1).max(200).default(50),
  })
  .strict();
export const runbookBatchListInputSchema = z.object({ limit: z.number().int().min(1).max(100).default(20) }).strict();

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

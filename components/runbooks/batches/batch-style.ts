import type { BadgeTone } from "@/components/ui/badge";
import {
  RUNBOOK_BATCH_ITEM_STATE_LABELS,
  RUNBOOK_BATCH_STATE_LABELS,
  type RunbookBatchItemState,
  type RunbookBatchState,
} from "@/lib/runbooks/runbook-batches";

/** How a selection's state reads: a word and a colour, the same on the Runs page and the batch page. */
export const BATCH_STATE_STYLE: Record<RunbookBatchState, { label: string; tone: BadgeTone }> = {
  "awaiting-approval": { label: RUNBOOK_BATCH_STATE_LABELS["awaiting-approval"], tone: "warning" },
  running: { label: RUNBOOK_BATCH_STATE_LABELS.running, tone: "info" },
  paused: { label: RUNBOOK_BATCH_STATE_LABELS.paused, tone: "warning" },
  completed: { label: RUNBOOK_BATCH_STATE_LABELS.completed, tone: "success" },
  cancelled: { label: RUNBOOK_BATCH_STATE_LABELS.cancelled, tone: "neutral" },
  rejected: { label: RUNBOOK_BATCH_STATE_LABELS.rejected, tone: "neutral" },
};

/** Each tenant's state: badge tone and the progress bar's segment colour. */
export const BATCH_ITEM_STYLE: Record<RunbookBatchItemState, { label: string; tone: BadgeTone; bar: string }> = {
  succeeded: { label: RUNBOOK_BATCH_ITEM_STATE_LABELS.succeeded, tone: "success", bar: "bg-emerald-600" },
  failed: { label: RUNBOOK_BATCH_ITEM_STATE_LABELS.failed, tone: "danger", bar: "bg-red-600" },
  interrupted: { label: RUNBOOK_BATCH_ITEM_STATE_LABELS.interrupted, tone: "danger", bar: "bg-red-400" },
  running: { label: RUNBOOK_BATCH_ITEM_STATE_LABELS.running, tone: "info", bar: "bg-blue-600" },
  skipped: { label: RUNBOOK_BATCH_ITEM_STATE_LABELS.skipped, tone: "neutral", bar: "bg-slate-400" },
  cancelled: { label: RUNBOOK_BATCH_ITEM_STATE_LABELS.cancelled, tone: "neutral", bar: "bg-slate-300" },
  pending: { label: RUNBOOK_BATCH_ITEM_STATE_LABELS.pending, tone: "neutral", bar: "bg-slate-200" },
};

/** The order of the progress bar and of the state filter. */
export const BATCH_ITEM_ORDER: RunbookBatchItemState[] = ["succeeded", "failed", "interrupted", "running", "skipped", "cancelled", "pending"];

/** A selection that may still change (the page keeps polling). */
export function isBatchActive(state: RunbookBatchState, running: number): boolean {
  return state === "awaiting-approval" || state === "running" || running > 0;
}

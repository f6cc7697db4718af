import type { BadgeTone } from "@/components/ui/badge";
import type { RunbookId, RunbookRisk } from "@/lib/runbooks/runbook-inputs";
import { TERMINAL_RUN_STATES, type RunState, type RunStepView } from "@/lib/runbooks/run-views";

/** How each run state reads: one word and a colour, the same on the Runs page, the run view and the tenant page. */
export const RUN_STATE_STYLE: Record<RunState, { label: string; tone: BadgeTone }> = {
  planned: { label: "Planned", tone: "neutral" },
  "awaiting-approval": { label: "Awaiting approval", tone: "warning" },
  running: { label: "Running", tone: "info" },
  verifying: { label: "Verifying", tone: "info" },
  succeeded: { label: "Succeeded", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
  "timed-out": { label: "Timed out", tone: "danger" },
  cancelled: { label: "Cancelled", tone: "neutral" },
  rejected: { label: "Rejected", tone: "warning" },
  interrupted: { label: "Interrupted", tone: "danger" },
};

export const STEP_STATE_STYLE: Record<RunStepView["state"], { label: string; tone: BadgeTone }> = {
  pending: { label: "Pending", tone: "neutral" },
  running: { label: "Running", tone: "info" },
  succeeded: { label: "Done", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
  skipped: { label: "Skipped", tone: "neutral" },
};

export const RISK_STYLE: Record<RunbookRisk, { label: string; tone: BadgeTone }> = {
  low: { label: "Low risk", tone: "neutral" },
  high: { label: "High risk", tone: "danger" },
};

export function isTerminal(state: RunState): boolean {
  return TERMINAL_RUN_STATES.includes(state);
}

/** "restart-instance" as "Restart instance", for filters that list runbooks before any title is known. */
export function runbookLabel(id: RunbookId | string): string {
  const words = id.replaceAll("-", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

import type { Permission } from "@/lib/auth/permissions";
import type { RunbookId, RunbookRisk, RunbookScope } from "./runbook-inputs";

/**
 * What the runbooks router answers with: the Actions menu's entries, the preview a dialog shows,
 * a run as its live view and the Runs page show it. Plain JSON-safe data (ISO timestamps).
 */

export const RUN_STATES = [
  "planned",
  "awaiting-approval",
  "running",
  "verifying",
  "succeeded",
  "failed",
  "timed-out",
  "cancelled",
  "rejected",
  "interrupted",
] as const;
export type RunState = (typeof RUN_STATES)[number];
export const TERMINAL_RUN_STATES: readonly RunState[] = ["succeeded", "failed", "timed-out", "cancelled", "rejected", "interrupted"];

/** One precondition as the dialog's checklist shows it. */
export interface PreconditionView {
  id: string;
  label: string;
  ok: boolean;
  /** Why it fails, in plain words (kubectl's reason where kubectl has one). */
  reason?: string;
}

/** One entry of an Actions menu: offered, or greyed with the reason. */
export interface RunbookActionView {
  runbookId: RunbookId;
  title: string;
  description: string;
  scope: RunbookScope;
  risk: RunbookRisk;
  permission: Permission;
  /** false: greyed, `unavailableReason` says why (a failing precondition, a run in progress). */
  available: boolean;
  unavailableReason?: string;
  /** Read-only runbooks (collect diagnostics) are a download, not a run. */
  readOnly: boolean;
  /** For pod / volume runbooks: the objects the input may name (pod names, PVC names). */
  targets?: string[];
}

/** One object's change in the preview: the unified diff of its YAML (only changed lines with context). */
export interface ObjectChangeView {
  /** e.g. "Deployment t-acme/odoo" */
  title: string;
  /** "PATCH /apis/apps/v1/namespaces/t-acme/deployments/odoo (strategic merge)" */
  request: string;
  /** Unified diff text (jsdiff createPatch style, headers stripped); "" when nothing changes. */
  diff: string;
  /** The object goes away (eviction, deletion) or is created. */
  effect: "changes" | "removes" | "creates";
  resourceVersion?: string;
}

/** A dry-run preview: what Confirm will do, as the API server answered `dryRun=All`. */
export interface RunbookPreviewView {
  runbookId: RunbookId;
  tenantId: string;
  title: string;
  risk: RunbookRisk;
  /** High-risk runs wait for a second person's approval. */
  needsApproval: boolean;
  preconditions: PreconditionView[];
  /** false when a precondition fails or the dry run was refused: Confirm is disabled. */
  canConfirm: boolean;
  /** Why the API server refused the dry run (its Status message), when it did. */
  refusal?: string;
  changes: ObjectChangeView[];
  /** Carried back by the confirmation; a different plan at confirm time is a 409 and a re-plan. */
  planHash: string;
  plannedAt: string;
}

export interface RunStepView {
  index: number;
  /** "Patch Deployment t-acme/odoo", "Verify", "Wait for approval". */
  title: string;
  state: "pending" | "running" | "succeeded" | "failed" | "skipped";
  startedAt?: string;
  endedAt?: string;
  /** What the step printed: the API's answer, the verification's progress, the job's log tail. */
  output?: string;
}

export interface RunApprovalView {
  decision: "approved" | "rejected";
  byEmail: string;
  at: string;
  comment?: string;
}

export interface RunView {
  id: string;
  tenantId: string;
  tenantName: string;
  runbookId: RunbookId;
  title: string;
  risk: RunbookRisk;
  input: Record<string, unknown>;
  state: RunState;
  requestedByEmail: string;
  requestedAt: string;
  startedAt?: string;
  endedAt?: string;
  /** Plain words: why it failed, what verification saw, who rejected it. */
  message?: string;
  steps: RunStepView[];
  changes: ObjectChangeView[];
  approval?: RunApprovalView;
  /** When an approval request lapses (30 minutes after it was asked). */
  approvalExpiresAt?: string;
  /** The run that undoes this one can be requested (an inverse exists and this run succeeded). */
  undo?: { runbookId: RunbookId; input: Record<string, unknown> };
}

export interface RunListResult {
  runs: RunView[];
  nextCursor?: string;
}

import type { WaveSelection } from "@/lib/migration/wave-schemas";
import type { RunState } from "@/lib/runbooks/run-views";
import type { HealthState } from "@/lib/tenants/types";
import type { TenantMigrationStateOrNative } from "@/lib/migration/tenant-states";

/**
 * A migration wave: a named set of tenants moved from Swarm to Kubernetes together, batch by batch.
 *
 * - draft: created, its tenants scheduled; nothing runs yet.
 * - running: a cluster step (start on Kubernetes, verify) is being run over its ready tenants.
 * - waiting: the last step ended; the wave waits for attestations or the next step.
 * - paused: by a person, or by the failure budget (pausedReason says which).
 * - completed: the exit gate held (every tenant verified and healthy for exitGateHours).
 * - cancelled: stopped for good; its tenants keep their states.
 */
export const WAVE_STATES = ["draft", "running", "waiting", "paused", "completed", "cancelled"] as const;
export type WaveState = (typeof WAVE_STATES)[number];

export const WAVE_STATE_LABELS: Record<WaveState, string> = {
  draft: "Draft",
  running: "Running",
  waiting: "Waiting",
  paused: "Paused",
  completed: "Completed",
  cancelled: "Cancelled",
};

/** The steps a wave runs through the runbook engine, and the states they move a tenant between. */
export const WAVE_STEPS = ["start", "verify", "rollback"] as const;
export type WaveStep = (typeof WAVE_STEPS)[number];

/** A step the whole wave runs (rollback is per tenant). */
export const WAVE_BATCH_STEPS = ["start", "verify"] as const;
export type WaveBatchStep = (typeof WAVE_BATCH_STEPS)[number];

export const WAVE_STEP_LABELS: Record<WaveStep, string> = {
  start: "Start on Kubernetes",
  verify: "Verify",
  rollback: "Roll back",
};

/** Storage size buckets of the selection, by the tenant's largest volume request. */
export const TENANT_SIZES = ["small", "medium", "large"] as const;
export type TenantSize = (typeof TENANT_SIZES)[number];
export const TENANT_SIZE_LABELS: Record<TenantSize, string> = {
  small: "Small (under 10 GiB)",
  medium: "Medium (10-50 GiB)",
  large: "Large (over 50 GiB)",
};

/** What an operator does to a wave (a PM cancels it: waves.cancel). */
export const WAVE_ACTIONS = ["start", "verify", "pause", "resume", "retry-failed"] as const;
export type WaveAction = (typeof WAVE_ACTIONS)[number] | "cancel";

/** The attested steps a PM records for every tenant of a wave that is ready for them. */
export const WAVE_ATTESTED_STEPS = ["backed-up", "stopped-on-swarm", "data-restored", "dns-switched", "done"] as const;

export interface WaveRunView {
  step: WaveStep;
  attempt: number;
  /** interrupted: a stopped portal left the run half-done; it does not count against the budget. */
  state: "pending" | "running" | "succeeded" | "failed" | "interrupted";
  runId?: string;
  runState?: RunState;
  message?: string;
}

export interface WaveTenantView {
  tenantId: string;
  name: string;
  databaseName: string;
  instanceType: string;
  batch: number;
  state: TenantMigrationStateOrNative;
  health: HealthState | "unknown";
  /** The newest run of this tenant in the wave, if any. */
  run?: WaveRunView;
}

export interface WaveSummaryView {
  id: string;
  name: string;
  description: string;
  state: WaveState;
  pausedReason?: string;
  currentStep?: WaveBatchStep;
  tenantCount: number;
  /** Tenants verified or further. */
  verifiedCount: number;
  failedRuns: number;
  failureBudget: number;
  batchSize: number;
  concurrency: number;
  exitGateHours: number;
  windowStart?: string;
  windowEnd?: string;
  createdByEmail: string;
  createdAt: string;
  startedAt?: string;
  completedAt?: string;
}

export interface WaveBoardView extends WaveSummaryView {
  selection: WaveSelection;
  runByEmail?: string;
  tenants: WaveTenantView[];
  /** What the exit gate says now, in words. */
  exitGate: { passed: boolean; summary: string };
}

/** The preview of a selection before the wave is created. */
export interface WaveSelectionPreview {
  matching: number;
  /** Of those, tenants that can join (on Swarm or rolled back, in no other open wave). */
  eligible: number;
  sample: { tenantId: string; name: string; instanceType: string; odooVersion: string }[];
  /** Why some matching tenants cannot join, counted by reason. */
  excluded: { reason: string; count: number }[];
  /** Production tenants among those that join. */
  production: number;
  /** No wave has completed yet: this one should be the canary (internal and demo tenants). */
  canaryFirst: boolean;
}

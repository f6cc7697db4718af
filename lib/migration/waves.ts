import { z } from "zod";

import { INSTANCE_TYPES } from "@/lib/tenants/types";
import { tenantIdSchema } from "@/lib/tenants/tenant-id";
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

const nonEmptyTrimmed = z.string().trim().min(1);

/** How a PM chooses a wave's tenants: filters (all must match), or a hand-picked list. */
export const waveSelectionSchema = z
  .object({
    instanceTypes: z.array(z.enum(INSTANCE_TYPES)).max(INSTANCE_TYPES.length).default([]),
    odooVersions: z.array(nonEmptyTrimmed.max(20)).max(20).default([]),
    /** Part of the customer id or email, case-insensitive. */
    customer: z.string().trim().max(200).default(""),
    sizes: z.array(z.enum(TENANT_SIZES)).max(TENANT_SIZES.length).default([]),
    /** Hand-picked tenants; when given, the filters narrow them further. */
    tenantIds: z.array(tenantIdSchema).max(10_000).default([]),
    /** At most this many of the matching tenants, in the order of the tenants list (by name). */
    limit: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();
export type WaveSelection = z.infer<typeof waveSelectionSchema>;

const isoInstant = z.iso.datetime({ offset: true, error: "Give the time as an ISO date and time, e.g. 2026-12-10T20:00:00Z." });

export const waveCreateSchema = z
  .object({
    name: z.string().trim().min(3, "Name the wave (at least 3 characters).").max(80, "Keep the name under 80 characters."),
    description: z.string().trim().max(2000).default(""),
    selection: waveSelectionSchema,
    windowStart: isoInstant.optional(),
    windowEnd: isoInstant.optional(),
    batchSize: z.number().int().min(1, "A batch holds at least 1 tenant.").max(50, "A batch holds at most 50 tenants.").default(10),
    concurrency: z.number().int().min(1, "Run at least 1 tenant at a time.").max(20, "Run at most 20 tenants at a time.").default(5),
    failureBudget: z.number().int().min(1, "The failure budget is at least 1 failed run.").max(1000).default(3),
    exitGateHours: z.number().int().min(0).max(336, "The exit gate is at most 14 days (336 hours).").default(24),
  })
  .strict()
  .refine((wave) => !wave.windowStart || !wave.windowEnd || Date.parse(wave.windowStart) < Date.parse(wave.windowEnd), {
    message: "The window must end after it starts.",
    path: ["windowEnd"],
  });
export type WaveCreateInput = z.input<typeof waveCreateSchema>;
export type WaveCreate = z.infer<typeof waveCreateSchema>;

export const waveIdSchema = z.uuid("That is not a wave id.");

/** What an operator does to a wave (a PM cancels it: waves.cancel). */
export const WAVE_ACTIONS = ["start", "verify", "pause", "resume", "retry-failed"] as const;
export type WaveAction = (typeof WAVE_ACTIONS)[number] | "cancel";
export const waveActionSchema = z.object({ waveId: waveIdSchema, action: z.enum(WAVE_ACTIONS) }).strict();

export const waveRollbackSchema = z
  .object({
    waveId: waveIdSchema,
    tenantId: tenantIdSchema,
    reason: z.string().trim().min(5, "Say why the tenant is rolled back (at least 5 characters).").max(500),
  })
  .strict();

/** The attested steps a PM records for every tenant of a wave that is ready for them. */
export const WAVE_ATTESTED_STEPS = ["backed-up", "stopped-on-swarm", "data-restored", "dns-switched", "done"] as const;
export const waveAttestSchema = z
  .object({
    waveId: waveIdSchema,
    to: z.enum(WAVE_ATTESTED_STEPS),
    evidence: z.string().trim().max(4000).optional(),
  })
  .strict();

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

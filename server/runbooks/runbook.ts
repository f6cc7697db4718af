import "server-only";

import type { z } from "zod";

import type { Permission } from "@/lib/auth/permissions";
import type { RunbookId, RunbookRisk, RunbookScope } from "@/lib/runbooks/runbook-inputs";
import type { PreconditionView } from "@/lib/runbooks/run-views";
import type { TenantRecord } from "@/lib/tenants/types";
import type { ClusterReads, ClusterSource } from "@/server/kube/cluster-source";
import type { KubeMutation, MutationOutcome } from "@/server/kube/mutations";

/**
 * A runbook is a module that declares (STYLE.md 13): one file per runbook under server/runbooks/,
 * each exporting a RunbookDefinition. The engine (server/runbooks/engine/) runs every one the same
 * way: preconditions → plan → dry-run preview → confirmation (lock, idempotency key, approval) →
 * the plan's mutations, one step each → verification over the watch cache → outcome, all recorded
 * in the run row and the audit log. Adding a runbook never touches the engine.
 *
 * Every function here is pure over its arguments and the cache (no I/O) except `output`.
 */

/** What a runbook reads: the tenant's registry record and its cluster's cache. */
export interface RunbookContext {
  tenant: TenantRecord;
  /** The tenant's namespace in its cluster (where its Deployment lives). */
  namespace: string;
  cluster: ClusterReads;
  now: Date;
  settings: RunbookSettings;
}

export interface RunbookSettings {
  /** The largest size a volume may be expanded to (RUNBOOK_MAX_VOLUME_SIZE, a quantity like "200Gi"). */
  maxVolumeSize: string;
  /** The CronJob whose job template "Back up now" runs (BACKUP_CRONJOB_NAME). */
  backupCronJobName: string;
}

/** What the engine hands verification: the plan as it was sent, and what the API answered. */
export interface SentPlan<Input> {
  input: Input;
  mutations: readonly KubeMutation[];
  outcomes: readonly MutationOutcome[];
  /** When the first mutation was sent. */
  sentAt: Date;
}

/** One look at the cache during verification. */
export type VerificationResult =
  | { done: false; progress: string }
  | { done: true; ok: true; message: string }
  /** Definitely failed (the new pods crash-loop, the resize is infeasible): stop waiting. */
  | { done: true; ok: false; message: string };

export interface RunbookDefinition<Input = unknown> {
  id: RunbookId;
  title: string;
  /** Plain words for the Actions menu and the dialog. */
  description: string;
  scope: RunbookScope;
  /** The input's zod schema (from lib/runbooks/runbook-inputs.ts, shared with the form). */
  inputSchema: z.ZodType<Input>;
  /** The permission a request needs for this input (force-deletion needs more than eviction). */
  permission(input: Input): Permission;
  /** High-risk runs need a second person's approval. */
  risk(input: Input, context: RunbookContext): RunbookRisk;
  /** For pod / volume runbooks: the names the input may pick from (the menu's targets). */
  targets?(context: RunbookContext): string[];
  /** Checked at preview and again at confirmation, over the cache. All must pass to confirm. */
  preconditions(input: Input, context: RunbookContext): PreconditionView[];
  /**
   * The mutations, in order (called only when every precondition passes). `restartedAt`, job
   * names and the like come from `context.now`, so a plan is a pure function of its inputs.
   */
  plan(input: Input, context: RunbookContext): KubeMutation[];
  /** Called on every cache change of the tenant until done or `verifyTimeoutMs` passed. */
  verify(sent: SentPlan<Input>, context: RunbookContext): VerificationResult;
  verifyTimeoutMs: number;
  /**
   * A check that changes nothing (its plan is empty): confirmed and recorded like any run, it only
   * verifies. The tenant lock still holds it, so no change of another run races the check.
   */
  checkOnly?: boolean;
  /**
   * Asked once `verify` succeeded: a look through the API server (the service proxy) that the
   * cache cannot give. Not ok fails the run; the engine retries a few times before it gives up.
   */
  probe?(sent: SentPlan<Input>, context: RunbookContext & { source: ClusterSource; signal: AbortSignal }): Promise<VerificationResult>;
  /** Text added to the run's output once verification ended (the backup Job's log tail). */
  output?(sent: SentPlan<Input>, context: RunbookContext & { source: ClusterSource }): Promise<string | undefined>;
  /** The run that undoes a succeeded run of this one, where there is one (stop ↔ start). */
  inverse?(sent: SentPlan<Input>, context: RunbookContext): { runbookId: RunbookId; input: Record<string, unknown> } | undefined;
}

import "server-only";

import { TRPCError } from "@trpc/server";

import {
  runbookActionsInputSchema,
  runbookConfirmInputSchema,
  runbookPreviewInputSchema,
  runDecisionInputSchema,
  runIdInputSchema,
  runRejectInputSchema,
  tenantRunsInputSchema,
} from "@/lib/runbooks/runbook-requests";
import { runListInputSchema, type RunbookActionView, type RunbookPreviewView, type RunListResult, type RunView } from "@/lib/runbooks/run-views";
import { createTRPCRouter, requirePermission } from "@/server/trpc/init";

// The contract the Actions menu, the dialog, the run view and the Runs page are built on; the
// engine (server/runbooks/engine) fills each in. Until then every call says so.
function notYet(): never {
  throw new TRPCError({ code: "NOT_IMPLEMENTED", message: "Runbooks are being built." });
}

export const runbooksRouter = createTRPCRouter({
  /** The tenant's Actions menu for the caller's role: offered or greyed with the reason. */
  actions: requirePermission("runbook:read")
    .input(runbookActionsInputSchema)
    .query((): RunbookActionView[] => notYet()),
  /** The dry-run preview: preconditions, the API server's diff, risk, planHash. Lists nothing. */
  preview: requirePermission("runbook:run")
    .input(runbookPreviewInputSchema)
    .mutation((): RunbookPreviewView => notYet()),
  /** Starts (or, high risk, asks approval for) the previewed plan; at-most-once per idempotencyKey. */
  confirm: requirePermission("runbook:run")
    .input(runbookConfirmInputSchema)
    .mutation((): RunView => notYet()),
  approve: requirePermission("runbook:approve")
    .input(runDecisionInputSchema)
    .mutation((): RunView => notYet()),
  reject: requirePermission("runbook:approve")
    .input(runRejectInputSchema)
    .mutation((): RunView => notYet()),
  /** Withdraws a run still awaiting approval (the requester or an approver). */
  cancel: requirePermission("runbook:run")
    .input(runIdInputSchema)
    .mutation((): RunView => notYet()),
  run: requirePermission("runbook:read")
    .input(runIdInputSchema)
    .query((): RunView => notYet()),
  /** The Runs page (filters URL-held). */
  list: requirePermission("runbook:read")
    .input(runListInputSchema)
    .query((): RunListResult => notYet()),
  /** A tenant page's recent runs. */
  tenantRuns: requirePermission("runbook:read")
    .input(tenantRunsInputSchema)
    .query((): RunView[] => notYet()),
  /** One run as it changes (tracked by its updatedAt), until it ends. */
  onRun: requirePermission("runbook:read")
    .input(runIdInputSchema)
    .subscription(async function* (): AsyncGenerator<RunView> {
      yield notYet();
    }),
  /** Any run of the fleet changed (the Runs page and tenant pages refetch). */
  onRunsChanged: requirePermission("runbook:read").subscription(async function* (): AsyncGenerator<{ runId: string; tenantId: string }> {
    yield notYet();
  }),
});

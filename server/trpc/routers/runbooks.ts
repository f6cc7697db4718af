import "server-only";

import { tracked } from "@trpc/server";

import {
  runbookActionsInputSchema,
  runbookConfirmInputSchema,
  runbookPreviewInputSchema,
  runDecisionInputSchema,
  runIdInputSchema,
  runRejectInputSchema,
  tenantRunsInputSchema,
} from "@/lib/runbooks/runbook-requests";
import type { RunbookRequest } from "@/lib/runbooks/runbook-inputs";
import { runListInputSchema } from "@/lib/runbooks/run-list-schema";
import { auditSourceOf } from "@/server/audit/request-source";
import { runbookBatchesRouter } from "@/server/trpc/routers/runbook-batches";
import { runtime } from "@/server/runtime";
import { createTRPCRouter, requirePermission } from "@/server/trpc/init";

// The engine (server/runbooks/engine) does the work; the router validates, checks the base
// permission (a runbook may need more: force-deletion needs runbook:force) and passes the caller.
const engine = () => runtime().runbooks;

export const runbooksRouter = createTRPCRouter({
  /** Runs over a selection of tenants (the tenants list's "Run over selection"). */
  batches: runbookBatchesRouter,
  /** The tenant's Actions menu for the caller's role: offered or greyed with the reason. */
  actions: requirePermission("runbook:read")
    .input(runbookActionsInputSchema)
    .query(({ ctx, input }) => engine().actions(ctx.session.user, input.tenantId)),
  /** The dry-run preview: preconditions, the API server's diff, risk, planHash. Lists nothing. */
  preview: requirePermission("runbook:run")
    .input(runbookPreviewInputSchema)
    .mutation(({ ctx, input, signal }) =>
      engine().preview(ctx.session.user, input as RunbookRequest & { tenantId: string }, signal, auditSourceOf(ctx.headers)),
    ),
  /** Starts (or, high risk, asks approval for) the previewed plan; at-most-once per idempotencyKey. */
  confirm: requirePermission("runbook:run")
    .input(runbookConfirmInputSchema)
    .mutation(({ ctx, input }) =>
      engine().confirm(ctx.session.user, input as RunbookRequest & { tenantId: string; planHash: string; idempotencyKey: string }, auditSourceOf(ctx.headers)),
    ),
  approve: requirePermission("runbook:approve")
    .input(runDecisionInputSchema)
    .mutation(({ ctx, input }) => engine().approve(ctx.session.user, input.runId, input.comment || undefined, auditSourceOf(ctx.headers))),
  reject: requirePermission("runbook:approve")
    .input(runRejectInputSchema)
    .mutation(({ ctx, input }) => engine().reject(ctx.session.user, input.runId, input.comment, auditSourceOf(ctx.headers))),
  /** Withdraws a run still awaiting approval (the requester or an approver). */
  cancel: requirePermission("runbook:run")
    .input(runIdInputSchema)
    .mutation(({ ctx, input }) => engine().cancel(ctx.session.user, input.runId, auditSourceOf(ctx.headers))),
  run: requirePermission("runbook:read")
    .input(runIdInputSchema)
    .query(({ input }) => engine().run(input.runId)),
  /** The Runs page (filters URL-held). */
  list: requirePermission("runbook:read")
    .input(runListInputSchema)
    .query(({ input }) => engine().list(input)),
  /** A tenant page's recent runs. */
  tenantRuns: requirePermission("runbook:read")
    .input(tenantRunsInputSchema)
    .query(({ input }) => engine().tenantRuns(input.tenantId, input.limit)),
  /** One run as it changes, until it ends (first value: the run now). */
  onRun: requirePermission("runbook:read")
    .input(runIdInputSchema)
    .subscription(async ({ input, signal }) => {
      // An unknown run fails here, before the stream opens, as NOT_FOUND (inside the generator it would be INTERNAL).
      await engine().run(input.runId);
      return (async function* () {
        let sequence = 0;
        for await (const view of engine().watchRun(input.runId, signal ?? new AbortController().signal)) {
          sequence += 1;
          yield tracked(`${Date.now()}-${sequence}`, view);
        }
      })();
    }),
  /** Any run of the fleet changed (the Runs page and tenant pages refetch). */
  onRunsChanged: requirePermission("runbook:read").subscription(({ signal }) => engine().watchRuns(signal ?? new AbortController().signal)),
});

import "server-only";

import {
  runbookBatchCreateInputSchema,
  runbookBatchDecisionInputSchema,
  runbookBatchIdInputSchema,
  runbookBatchItemsInputSchema,
  runbookBatchListInputSchema,
  runbookBatchPreviewInputSchema,
  runbookBatchRejectInputSchema,
} from "@/lib/runbooks/runbook-batch-schemas";
import { auditSourceOf } from "@/server/audit/request-source";
import { runtime } from "@/server/runtime";
import { createTRPCRouter, requirePermission } from "@/server/trpc/init";

// Runs over a selection: server/runbooks/batches holds the rules, its driver starts the runs.
const batches = () => runtime().runbookBatches;

export const runbookBatchesRouter = createTRPCRouter({
  list: requirePermission("runbook:read")
    .input(runbookBatchListInputSchema)
    .query(({ input }) => batches().list(input.limit)),
  get: requirePermission("runbook:read")
    .input(runbookBatchIdInputSchema)
    .query(({ input }) => batches().get(input.batchId)),
  /** One page of the selection's tenants and their runs, optionally of one state. */
  items: requirePermission("runbook:read")
    .input(runbookBatchItemsInputSchema)
    .query(({ input }) => batches().items(input)),
  /** What would run, what would be passed over and why, and whether a second person must approve. Stores nothing. */
  preview: requirePermission("runbook:run")
    .input(runbookBatchPreviewInputSchema)
    .query(({ ctx, input }) => batches().preview(ctx.session.user, input, auditSourceOf(ctx.headers))),
  /** Makes the selection's runs (at most once per idempotencyKey); it starts at once or awaits approval. */
  create: requirePermission("runbook:run")
    .input(runbookBatchCreateInputSchema)
    .mutation(({ ctx, input }) => batches().create(ctx.session.user, input, auditSourceOf(ctx.headers))),
  approve: requirePermission("runbook:approve")
    .input(runbookBatchDecisionInputSchema)
    .mutation(({ ctx, input }) => batches().approve(ctx.session.user, input.batchId, input.comment, auditSourceOf(ctx.headers))),
  reject: requirePermission("runbook:approve")
    .input(runbookBatchRejectInputSchema)
    .mutation(({ ctx, input }) => batches().reject(ctx.session.user, input.batchId, input.comment, auditSourceOf(ctx.headers))),
  /** The requester or an approver: waiting tenants are not run; runs in flight finish. */
  cancel: requirePermission("runbook:run")
    .input(runbookBatchIdInputSchema)
    .mutation(({ ctx, input }) => batches().cancel(ctx.session.user, input.batchId, auditSourceOf(ctx.headers))),
  pause: requirePermission("runbook:run")
    .input(runbookBatchIdInputSchema)
    .mutation(({ ctx, input }) => batches().pause(ctx.session.user, input.batchId, auditSourceOf(ctx.headers))),
  resume: requirePermission("runbook:run")
    .input(runbookBatchIdInputSchema)
    .mutation(({ ctx, input }) => batches().resume(ctx.session.user, input.batchId, auditSourceOf(ctx.headers))),
  retryFailed: requirePermission("runbook:run")
    .input(runbookBatchIdInputSchema)
    .mutation(({ ctx, input }) => batches().retryFailed(ctx.session.user, input.batchId, auditSourceOf(ctx.headers))),
});

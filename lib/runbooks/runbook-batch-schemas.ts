import { z } from "zod";

import { RUNBOOK_INPUT_SCHEMAS } from "@/lib/runbooks/runbook-inputs";
import { tenantIdSchema } from "@/lib/tenants/tenant-id";
import { TENANT_LIST_FIELDS } from "@/lib/tenants/tenant-list";

import { RUNBOOK_BATCH_ITEM_STATES } from "./runbook-batches";

/** The inputs of runs over a selection (runbook-batches.ts, without zod, is what the browser imports). */

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

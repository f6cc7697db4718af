import { z } from "zod";

import { runbookRequestSchema } from "./runbook-inputs";

/** The runbooks router's inputs: one schema each, shared by the router and the client. */

const tenantId = z.string().uuid("A tenant id is a UUID.");
const runId = z.string().uuid("A run id is a UUID.");

export const runbookActionsInputSchema = z.object({ tenantId });

/** `runbookRequestSchema` is { runbookId, input }; a preview adds the tenant. */
export const runbookPreviewInputSchema = z.intersection(z.object({ tenantId }), runbookRequestSchema);

/**
 * A confirmation: the previewed plan's hash, and an Idempotency-Key (IETF httpapi draft semantics)
 * made once when the dialog opened. The same key again returns the same run; the same key with a
 * different payload is refused (422).
 */
export const runbookConfirmInputSchema = z.intersection(
  z.object({
    tenantId,
    planHash: z.string().regex(/^[0-9a-f]{64}$/, "planHash is the preview's sha256."),
    idempotencyKey: z.string().min(16, "An idempotency key has at least 16 characters.").max(255),
  }),
  runbookRequestSchema,
);

export const runIdInputSchema = z.object({ runId });
export const runDecisionInputSchema = z.object({ runId, comment: z.string().trim().max(1000).optional() });
export const runRejectInputSchema = z.object({ runId, comment: z.string().trim().min(3, "Say why you reject the run.").max(1000) });
export const tenantRunsInputSchema = z.object({ tenantId, limit: z.number().int().min(1).max(50).default(10) });

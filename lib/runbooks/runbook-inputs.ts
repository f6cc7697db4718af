import { z } from "zod";

import { RUNBOOK_IDS } from "./runbook-ids";

/**
 * The inputs each runbook takes: one zod schema per runbook, shared by the Actions dialog's form
 * (react-hook-form + zodResolver, loaded when the dialog opens), the tRPC router and the run row.
 * The server-side declarations live in server/runbooks/<id>.ts and import their schema from here.
 */
export type RunbookId = (typeof RUNBOOK_IDS)[number];
export const runbookIdSchema = z.enum(RUNBOOK_IDS);

export type RunbookRisk = "low" | "high";

/** Where the Actions menu offers a runbook: the tenant page's menu, a pod row's, a volume row's. */
export type RunbookScope = "tenant" | "pod" | "volume";

const reason = z.string().trim().max(500, "Keep the reason under 500 characters.");

export const RUNBOOK_INPUT_SCHEMAS = {
  "restart-instance": z.object({}).strict(),
  "stop-instance": z.object({ reason: reason.optional() }).strict(),
  "start-instance": z.object({}).strict(),
  "remove-stuck-pod": z
    .object({
      pod: z.string().min(1, "Choose the pod to remove.").max(253),
      /** Force-delete (grace 0) instead of the Eviction API: high risk, admin-only, needs a reason. */
      force: z.boolean().default(false),
      reason: reason.optional(),
    })
    .strict()
    .refine((input) => !input.force || (input.reason ?? "").length >= 5, {
      message: "Say why the pod must be force-deleted (at least 5 characters).",
      path: ["reason"],
    }),
  "expand-volume": z
    .object({
      volume: z.string().min(1, "Choose the volume to expand.").max(253),
      /** A Kubernetes quantity in binary units, e.g. "20Gi". */
      size: z
        .string()
        .trim()
        .regex(/^[1-9][0-9]{0,5}(Mi|Gi|Ti)$/, "Write the new size as a whole number with Mi, Gi or Ti, e.g. 20Gi."),
    })
    .strict(),
  "back-up-now": z.object({}).strict(),
  "verify-instance": z.object({}).strict(),
  "collect-diagnostics": z.object({}).strict(),
} satisfies Record<RunbookId, z.ZodType>;

export type RunbookInput<Id extends RunbookId> = z.infer<(typeof RUNBOOK_INPUT_SCHEMAS)[Id]>;

/** A runbook and its input, as a preview or a confirmation names them. */
export const runbookRequestSchema = z.discriminatedUnion(
  "runbookId",
  RUNBOOK_IDS.map((id) => z.object({ runbookId: z.literal(id), input: RUNBOOK_INPUT_SCHEMAS[id] })) as unknown as [
    z.ZodObject<{ runbookId: z.ZodLiteral<RunbookId>; input: z.ZodType }>,
    ...z.ZodObject<{ runbookId: z.ZodLiteral<RunbookId>; input: z.ZodType }>[],
  ],
);
export type RunbookRequest = { [Id in RunbookId]: { runbookId: Id; input: RunbookInput<Id> } }[RunbookId];

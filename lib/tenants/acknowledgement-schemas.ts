import { z } from "zod";

import { hasControlCharacters } from "@/lib/text/control-characters";
import { PROBLEM_KINDS } from "@/lib/tenants/types";

import { ACKNOWLEDGE_FOR_HOURS } from "./acknowledgements";

/** The inputs of acknowledging and withdrawing (acknowledgements.ts, without zod, is what the browser imports). */

export const acknowledgeProblemInputSchema = z.object({
  tenantId: z.uuid("Not an instance id."),
  problemKind: z.enum(PROBLEM_KINDS, { error: () => "Not a kind of problem the portal reports." }),
  reason: z
    .string()
    .trim()
    .min(3, "Say why it may wait (at least 3 characters).")
    .max(500, "Keep the reason under 500 characters.")
    .refine((reason) => !hasControlCharacters(reason), "The reason contains control characters (such as line breaks)."),
  forHours: z
    .number()
    .int()
    .refine((hours) => (ACKNOWLEDGE_FOR_HOURS as readonly number[]).includes(hours), `Choose one of ${ACKNOWLEDGE_FOR_HOURS.join(", ")} hours.`),
});
export type AcknowledgeProblemInput = z.infer<typeof acknowledgeProblemInputSchema>;

export const withdrawAcknowledgementInputSchema = z.object({ acknowledgementId: z.uuid("Not an acknowledgement id.") });
export type WithdrawAcknowledgementInput = z.infer<typeof withdrawAcknowledgementInputSchema>;

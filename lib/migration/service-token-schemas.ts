import { z } from "zod";

import { hasControlCharacters } from "@/lib/text/control-characters";

import { SERVICE_TOKEN_MAX_DAYS, SERVICE_TOKEN_SCOPES } from "./service-tokens";

/** A new service token's input (service-tokens.ts, without zod, is what the browser imports). */

export const createServiceTokenInputSchema = z.object({
  name: z
    .string("Enter a name.")
    .trim()
    .min(1, "Enter a name, e.g. the script or host that uses the token.")
    .max(100, "A token name has at most 100 characters.")
    .refine((name) => !hasControlCharacters(name), "A token name cannot contain control characters."),
  scopes: z
    .array(z.enum(SERVICE_TOKEN_SCOPES, { error: () => `A scope is one of: ${SERVICE_TOKEN_SCOPES.join(", ")}` }))
    .min(1, "Choose at least one scope.")
    .transform((scopes) => [...new Set(scopes)]),
  /** Days from now; absent: the token does not expire. */
  expiresInDays: z
    .number("Expiry is a number of days.")
    .int("Expiry is a whole number of days.")
    .min(1, "A token lives at least 1 day.")
    .max(SERVICE_TOKEN_MAX_DAYS, `A token lives at most ${SERVICE_TOKEN_MAX_DAYS} days.`)
    .optional(),
});
export type CreateServiceTokenInput = z.input<typeof createServiceTokenInputSchema>;

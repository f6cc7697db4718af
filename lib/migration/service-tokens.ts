import { z } from "zod";

import { hasControlCharacters } from "@/lib/text/control-characters";

/**
 * Service tokens: what the migration scripts (outside the portal) authenticate with. An admin
 * creates one with scopes and an optional expiry, sees its secret once, and revokes it.
 */
export const SERVICE_TOKEN_SCOPES = ["migration:report"] as const;
export type ServiceTokenScope = (typeof SERVICE_TOKEN_SCOPES)[number];

export const SERVICE_TOKEN_SCOPE_LABELS: Record<ServiceTokenScope, string> = {
  "migration:report": "Report migration steps (POST /api/migration/v1/tenants/<id>/steps)",
};

/** Longest lifetime an admin may give a token, in days (a token without expiry is allowed too). */
export const SERVICE_TOKEN_MAX_DAYS = 3650;

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

export type ServiceTokenStatus = "active" | "expired" | "revoked";

/** A token as lists show it: never its secret or hash. Dates as ISO strings. */
export interface ServiceTokenView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  status: ServiceTokenStatus;
  createdAt: string;
  createdByEmail: string;
  expiresAt: string | null;
  revokedAt: string | null;
  revokedByEmail: string | null;
  lastUsedAt: string | null;
}

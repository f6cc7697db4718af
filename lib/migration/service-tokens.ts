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

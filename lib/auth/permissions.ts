// Plain data with no server imports: client components use it to hide what a role cannot do
// (the server still checks every call).
export const ROLES = ["admin", "operator", "pm", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "fleet:read",
  "tenants:read",
  "registry:import",
  "users:manage",
  "logs:read",
  /** The Runs page and a tenant's recent runs; every role sees the history. */
  "runbook:read",
  "runbook:run",
  /** Approve or reject another person's high-risk run. */
  "runbook:approve",
  /** Force-delete a pod (grace 0, skipping PodDisruptionBudgets). */
  "runbook:force",
  "migration:read",
  "migration:edit",
  "audit:read",
  /** Acknowledge a problem on "Needs attention" (who, why, until when); everyone sees acknowledgements. */
  "attention:acknowledge",
  /** One's own sign-ins (e.g. "sign out everywhere"); every role has it. */
  "account:self",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The single role -> permission matrix. Every server-side check reads this table. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  operator: ["fleet:read", "tenants:read", "logs:read", "runbook:read", "runbook:run", "migration:read", "audit:read", "attention:acknowledge", "account:self"],
  pm: ["fleet:read", "tenants:read", "runbook:read", "migration:read", "migration:edit", "account:self"],
  viewer: ["fleet:read", "tenants:read", "runbook:read", "migration:read", "account:self"],
};

export function can(role: Role | null | undefined, permission: Permission): boolean {
  if (!role) return false;
  return ROLE_PERMISSIONS[role]?.includes(permission) ?? false;
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === "string" && (PERMISSIONS as readonly string[]).includes(value);
}

import "server-only";

import { ROLES, type Role } from "@/lib/auth/permissions";

/**
 * Maps the identity provider's group claim to one portal role. Keycloak sends group paths
 * ("/fleet-admins") when "full group path" is on, so a leading slash is ignored. A user in
 * several mapped groups gets the most privileged role; a user in none gets no access.
 */
export function roleFromClaim(claim: unknown, roleMap: Record<string, Role>): Role | null {
  const values = Array.isArray(claim) ? claim : typeof claim === "string" ? claim.split(/[\s,]+/) : [];
  let best: Role | null = null;
  for (const value of values) {
    if (typeof value !== "string") continue;
    const role = roleMap[value] ?? roleMap[value.replace(/^\/+/, "")];
    if (role && (best === null || ROLES.indexOf(role) < ROLES.indexOf(best))) best = role;
  }
  return best;
}

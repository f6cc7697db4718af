import { describe, expect, it } from "vitest";

import { roleFromClaim } from "@/server/auth/oidc-role";
import { parseRoleMap } from "@/server/env";

const roleMap = parseRoleMap("fleet-admins=admin,fleet-ops=operator,fleet-pm=pm,everyone=viewer");

describe("roleFromClaim", () => {
  it("maps a group to its role, with or without Keycloak's leading slash", () => {
    expect(roleFromClaim(["fleet-ops"], roleMap)).toBe("operator");
    expect(roleFromClaim(["/fleet-ops"], roleMap)).toBe("operator");
  });

  it("picks the most privileged role among several groups", () => {
    expect(roleFromClaim(["everyone", "/fleet-pm", "fleet-admins"], roleMap)).toBe("admin");
    expect(roleFromClaim(["everyone", "fleet-pm"], roleMap)).toBe("pm");
  });

  it("accepts a space or comma separated string claim", () => {
    expect(roleFromClaim("everyone fleet-ops", roleMap)).toBe("operator");
  });

  it("grants nothing without a mapped group", () => {
    expect(roleFromClaim(["other"], roleMap)).toBeNull();
    expect(roleFromClaim(undefined, roleMap)).toBeNull();
    expect(roleFromClaim([42], roleMap)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";

import { can, isPermission, PERMISSIONS, ROLE_PERMISSIONS, ROLES } from "@/lib/auth/permissions";

describe("role -> permission matrix", () => {
  it("gives admins every permission", () => {
    for (const permission of PERMISSIONS) expect(can("admin", permission)).toBe(true);
  });

  it("matches the agreed matrix for the other roles", () => {
    expect([...ROLE_PERMISSIONS.operator].sort()).toEqual(
      [
        "account:self",
        "attention:acknowledge",
        "audit:read",
        "fleet:read",
        "logs:read",
        "migration:read",
        "runbook:read",
        "runbook:run",
        "tenants:read",
      ].sort(),
    );
    expect([...ROLE_PERMISSIONS.pm].sort()).toEqual(["account:self", "fleet:read", "migration:edit", "migration:read", "runbook:read", "tenants:read"].sort());
    expect([...ROLE_PERMISSIONS.viewer].sort()).toEqual(["account:self", "fleet:read", "migration:read", "runbook:read", "tenants:read"].sort());
  });

  it("keeps user management, registry import, approvals and force-deletion for admins only", () => {
    for (const role of ROLES.filter((r) => r !== "admin")) {
      expect(can(role, "users:manage")).toBe(false);
      expect(can(role, "registry:import")).toBe(false);
      expect(can(role, "runbook:approve")).toBe(false);
      expect(can(role, "runbook:force")).toBe(false);
    }
  });

  it("lists only known permissions", () => {
    for (const role of ROLES) for (const permission of ROLE_PERMISSIONS[role]) expect(isPermission(permission)).toBe(true);
  });

  it("denies missing or unknown roles", () => {
    expect(can(null, "fleet:read")).toBe(false);
    expect(can(undefined, "fleet:read")).toBe(false);
    expect(can("root" as never, "fleet:read")).toBe(false);
  });
});

import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";

import { can, isPermission, ROLES, type Permission, type Role } from "@/lib/auth/permissions";
import type { AppSession } from "@/server/auth/session";
import type { TRPCContext } from "@/server/trpc/init";
import { appRouter, createCaller } from "@/server/trpc/root";

/** Thrown by the probe once the permission check has passed, so no handler ever runs. */
class PassedPermissionCheck extends Error {
  constructor(readonly permission: Permission) {
    super(`passed ${permission}`);
  }
}

interface ProcedureDef {
  type: "query" | "mutation" | "subscription";
  meta?: { permission?: unknown };
}

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>).map(([path, procedure]) => ({
  path,
  def: procedure._def,
}));

/** The audit rows a refusal wrote; the only thing a call may do with the database. */
let deniedRows: { action: string; targetId: string; outcome?: string }[] = [];

function fakeContext(role: Role | null): TRPCContext {
  const session: AppSession | null = role ? { user: { id: "00000000-0000-4000-8000-000000000001", email: `${role}@test.local`, name: role, role } } : null;
  const auditEvent = {
    create: async ({ data }: { data: (typeof deniedRows)[number] }) => {
      deniedRows.push(data);
    },
  };
  return {
    session,
    headers: new Headers(),
    db: new Proxy({} as TRPCContext["db"], {
      get(_target, key) {
        if (key === "auditEvent") return auditEvent;
        throw new Error("the matrix test must stop before any handler touches the database");
      },
    }),
    permissionProbe: (permission) => {
      throw new PassedPermissionCheck(permission);
    },
  };
}

type Outcome = { kind: "allowed"; permission?: Permission } | { kind: "refused"; code: string };

async function call(role: Role | null, path: string): Promise<Outcome> {
  const caller = createCaller(fakeContext(role)) as unknown as Record<string, unknown>;
  const procedure = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  try {
    const result = await (procedure as (input: unknown) => Promise<unknown>)(undefined);
    // A subscription returns its stream; pulling the first value runs the middleware chain.
    if (result && typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
      await (result as AsyncIterable<unknown>)[Symbol.asyncIterator]().next();
    }
    throw new Error(`${path} ran its handler: the permission probe was never called`);
  } catch (error) {
    const cause = error instanceof TRPCError ? error.cause : error;
    if (cause instanceof PassedPermissionCheck) return { kind: "allowed", permission: cause.permission };
    if (error instanceof TRPCError) {
      // Input parsing comes after the permission check, so a BAD_REQUEST means it got past it.
      if (error.code === "BAD_REQUEST") return { kind: "allowed" };
      return { kind: "refused", code: error.code };
    }
    throw error;
  }
}

describe("permission matrix over every procedure of appRouter", () => {
  it("finds the procedures", () => {
    expect(procedures.length).toBeGreaterThan(0);
    expect(procedures.map((p) => p.path)).toContain("users.list");
  });

  it.each(procedures.map((p) => [p.path, p.def] as const))("%s declares a known permission", (_path, def) => {
    expect(isPermission(def.meta?.permission), "build it from requirePermission(...)").toBe(true);
  });

  it.each(procedures.map((p) => [p.path, p.def] as const))("%s refuses calls without a session", async (path) => {
    expect(await call(null, path)).toEqual({ kind: "refused", code: "UNAUTHORIZED" });
  });

  const cases = procedures.flatMap(({ path, def }) => ROLES.map((role) => [path, role, def] as const));
  it.each(cases)("%s as %s follows the matrix", async (path, role, def) => {
    const permission = def.meta?.permission as Permission;
    deniedRows = [];
    const outcome = await call(role, path);
    if (can(role, permission)) {
      expect(outcome.kind, `${role} should be allowed ${path} (${permission})`).toBe("allowed");
      // The permission actually checked must be the one declared in meta.
      if (outcome.kind === "allowed" && outcome.permission) expect(outcome.permission).toBe(permission);
    } else {
      expect(outcome, `${role} should be refused ${path} (${permission})`).toEqual({ kind: "refused", code: "FORBIDDEN" });
      expect(deniedRows).toMatchObject([{ action: "procedure.call", targetId: path, outcome: "denied" }]);
    }
    if (can(role, permission)) expect(deniedRows).toEqual([]);
  });
});

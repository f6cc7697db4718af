import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";

import type { Role } from "@/lib/auth/permissions";
import { PEER_ADDRESS_HEADER } from "@/server/http/client-address";
import { createCaller } from "@/server/trpc/root";
import { useTestDatabase } from "@/scripts/test-support/test-database";

const db = useTestDatabase({ emptyBeforeEach: ["auditEvent", "user"] });

async function callerAs(role: Role, headers: Record<string, string> = {}) {
  const user = await db.user.create({ data: { email: `${role}@test.local`, name: role, role } });
  const session = { user: { id: user.id, email: user.email, name: user.name, role } };
  return { user, caller: createCaller({ session, headers: new Headers(headers), db }) };
}

describe("denied calls", () => {
  it("records a FORBIDDEN procedure call with actor, procedure, source and the missing permission", async () => {
    const { user, caller } = await callerAs("viewer", { [PEER_ADDRESS_HEADER]: "198.51.100.4", "user-agent": "Mozilla/5.0 (denied)" });

    await expect(caller.users.list()).rejects.toMatchObject({ code: "FORBIDDEN" });

    expect(await db.auditEvent.findMany()).toMatchObject([
      {
        actorId: user.id,
        actorEmail: "viewer@test.local",
        action: "procedure.call",
        targetKind: "procedure",
        targetId: "users.list",
        outcome: "denied",
        sourceAddress: "198.51.100.4",
        userAgent: "Mozilla/5.0 (denied)",
        details: { permission: "users:manage", role: "viewer" },
      },
    ]);
  });

  it("records nothing for an allowed call or an anonymous one", async () => {
    const { caller } = await callerAs("admin");
    await caller.audit.list({});
    const anonymous = createCaller({ session: null, headers: new Headers(), db });
    await expect(anonymous.audit.list({})).rejects.toBeInstanceOf(TRPCError);
    expect(await db.auditEvent.count()).toBe(0);
  });

  it("lets the operator read the log it was denied in", async () => {
    const { caller: viewer } = await callerAs("viewer");
    await expect(viewer.audit.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    const { caller: operator } = await callerAs("operator");
    const page = await operator.audit.list({ outcome: "denied" });
    expect(page.events.map((e) => [e.actorEmail, e.targetId])).toEqual([["viewer@test.local", "audit.list"]]);
  });
});

describe("request ids", () => {
  it("records the request's id (x-request-id) on its audit row, the id a log line and an error answer carry", async () => {
    const { caller } = await callerAs("viewer", { "x-request-id": "req-3f2a9c1b-test" });
    await expect(caller.users.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db.auditEvent.findMany()).toMatchObject([{ action: "procedure.call", requestId: "req-3f2a9c1b-test" }]);
  });
});

import { TRPCError } from "@trpc/server";
import { beforeEach, describe, expect, it } from "vitest";

import type { Role } from "@/lib/auth/permissions";
import type { AppSession } from "@/server/auth/session";
import { useTestDatabase } from "@/scripts/test-support/test-database";
import { createCallerFactory } from "@/server/trpc/init";
import { migrationGatesRouter } from "@/server/trpc/routers/migration-gates";

const db = useTestDatabase({ emptyBeforeEach: ["auditEvent", "migrationAttestation", "migrationTaskChange", "migrationTask", "user"] });
const createCaller = createCallerFactory(migrationGatesRouter);
let taskId: string;

async function callerAs(role: Role) {
  const user = await db.user.create({ data: { email: `${role}-${Math.random().toString(36).slice(2)}@test.local`, name: role, role } });
  const session: AppSession = { user: { id: user.id, email: user.email, name: user.name, role } };
  return { caller: createCaller({ session, headers: new Headers(), db }), user };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  throw new Error("the call was not refused");
}

beforeEach(async () => {
  const task = await db.migrationTask.create({
    data: { week: 3, workstream: "operations", title: "On-call runbook reviewed", priority: "important", attestationDays: 30 },
  });
  taskId = task.id;
});

describe("migration gates router: attestations", () => {
  it("a PM attests a task with evidence: the attestation counts, with the task's expiry, an audit row and a history line", async () => {
    const { caller, user } = await callerAs("pm");
    const attestation = await caller.attest({ taskId, note: "Reviewed with the on-call team, see wiki/oncall" });
    expect(attestation).toMatchObject({ taskId, attestedByEmail: user.email, active: true, revokedAt: null });
    const days = (Date.parse(attestation.expiresAt!) - Date.parse(attestation.attestedAt)) / 86_400_000;
    expect(days).toBe(30);
    expect(await db.auditEvent.findMany({ select: { action: true, targetId: true, actorEmail: true } })).toEqual([
      { action: "migration.attest", targetId: taskId, actorEmail: user.email },
    ]);
    expect(await db.migrationTaskChange.count({ where: { taskId, field: "attestation" } })).toBe(1);
    expect((await caller.currentAttestations()).map((a) => a.id)).toEqual([attestation.id]);
  });

  it("an expired attestation no longer counts, a revoked one neither, and revoking twice is refused", async () => {
    const { caller } = await callerAs("pm");
    const lapsed = await db.migrationAttestation.create({
      data: {
        taskId,
        attestedByEmail: "old@test.local",
        attestedAt: new Date(Date.now() - 10 * 86_400_000),
        expiresAt: new Date(Date.now() - 1000),
        note: "old",
      },
    });
    expect(await caller.currentAttestations()).toEqual([]);
    expect((await caller.attestations({ taskId })).find((a) => a.id === lapsed.id)?.active).toBe(false);

    const fresh = await caller.attest({ taskId, note: "Checked again", expiresAt: new Date(Date.now() + 86_400_000) });
    expect((await caller.currentAttestations()).map((a) => a.id)).toEqual([fresh.id]);
    expect(await caller.revokeAttestation({ attestationId: fresh.id, reason: "wrong task" })).toMatchObject({ active: false });
    expect(await caller.currentAttestations()).toEqual([]);
    expect(await refusal(caller.revokeAttestation({ attestationId: fresh.id }))).toBe("CONFLICT");
    expect(await db.auditEvent.count({ where: { action: "migration.attestation-revoke" } })).toBe(1);
  });

  it("bad input gets a clear refusal, not a 5xx", async () => {
    const { caller } = await callerAs("admin");
    expect(await refusal(caller.attest({ taskId, note: "   " }))).toBe("BAD_REQUEST");
    expect(await refusal(caller.attest({ taskId, note: "x", expiresAt: new Date(Date.now() - 60_000) }))).toBe("BAD_REQUEST");
    expect(await refusal(caller.attest({ taskId, note: "x", expiresAt: new Date("+275760-09-13T00:00:00Z") }))).toBe("BAD_REQUEST");
    expect(await refusal(caller.attest({ taskId: "00000000-0000-4000-8000-000000000000", note: "x" }))).toBe("NOT_FOUND");
  });

  it("a viewer and an operator can read attestations but cannot attest or revoke (refused and audited)", async () => {
    const { caller: pm } = await callerAs("pm");
    const attestation = await pm.attest({ taskId, note: "Done" });
    for (const role of ["viewer", "operator"] as const) {
      const { caller } = await callerAs(role);
      expect(await caller.attestations({ taskId })).toHaveLength(1);
      expect(await refusal(caller.attest({ taskId, note: "me too" }))).toBe("FORBIDDEN");
      expect(await refusal(caller.revokeAttestation({ attestationId: attestation.id }))).toBe("FORBIDDEN");
    }
    expect(await db.migrationAttestation.count()).toBe(1);
    expect(await db.auditEvent.count({ where: { outcome: "denied" } })).toBe(4);
  });
});

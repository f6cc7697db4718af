import { beforeEach, describe, expect, it } from "vitest";

import { useTestDatabase } from "@/scripts/test-support/test-database";
import type { SessionUser } from "@/server/auth/session";

import { createServiceToken, listServiceTokens, revokeServiceToken } from "./service-tokens";
import { handleStepReport, STEP_REPORT_BODY_LIMIT_BYTES } from "./step-report-api";
import { onTenantMigrationWrite } from "./tenant-migration";

// The migration scripts' API end to end on a real database: the route handler's logic
// (app/api/migration/v1/tenants/[tenantId]/steps/route.ts only hands it the request).
const db = useTestDatabase({ emptyBeforeEach: ["auditEvent", "tenantMigrationEvent", "tenantMigration", "serviceToken", "tenant", "user"] });

const TENANT = "3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f";
let admin: SessionUser;

beforeEach(async () => {
  const user = await db.user.create({ data: { email: "admin@test.local", name: "Admin", role: "admin", passwordHash: "x" } });
  admin = { id: user.id, email: user.email, name: user.name, role: "admin" };
  await db.tenant.create({
    data: {
      id: TENANT,
      name: "odoo-brightpath-logistics-3f2b8c1e",
      databaseName: "brightpath-logistics",
      customerId: "0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70",
      customerEmail: "admin@brightpath.com",
      instanceType: "production",
      odooVersion: "17.0",
      billingStatus: "active",
      cluster: "default",
    },
  });
  await db.tenantMigration.create({ data: { tenantId: TENANT, state: "scheduled", updatedByEmail: "pm@test.local" } });
});

function report(secret: string | undefined, body: unknown, tenantId = TENANT): Promise<Response> {
  const request = new Request(`http://portal.test/api/migration/v1/tenants/${tenantId}/steps`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "migrate.sh/1.0", ...(secret ? { authorization: `Bearer ${secret}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return handleStepReport(db, request, tenantId);
}

const state = async () => (await db.tenantMigration.findUniqueOrThrow({ where: { tenantId: TENANT } })).state;
const apiAudit = () => db.auditEvent.findMany({ where: { action: "migration.api.step" }, orderBy: { at: "asc" } });

describe("POST /api/migration/v1/tenants/<id>/steps", () => {
  it("refuses a revoked token with 401 and a clear message, audits the refusal, and changes nothing", async () => {
    const { token, secret } = await createServiceToken(db, admin, { name: "migrate-host-1", scopes: ["migration:report"] });
    await revokeServiceToken(db, admin, token.id);

    const response = await report(secret, { to: "backed-up", evidence: "pg_dump s3://backups/brightpath.dump" });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: `The service token “migrate-host-1” (${token.prefix}…) was revoked.` });
    expect(await state()).toBe("scheduled");
    expect(await db.tenantMigrationEvent.count()).toBe(0);
    expect(await apiAudit()).toEqual([
      expect.objectContaining({
        outcome: "denied",
        actorEmail: "service-token:migrate-host-1",
        targetKind: "tenant",
        targetId: TENANT,
        userAgent: "migrate.sh/1.0",
        details: { reason: "revoked", tokenId: token.id, prefix: token.prefix },
      }),
    ]);
  });

  it("refuses a missing, unknown or expired token (401) and one without the scope (403), each audited", async () => {
    expect((await report(undefined, { to: "backed-up" })).status).toBe(401);
    const unknown = await report("fdt_not-a-real-secret", { to: "backed-up" });
    expect(unknown.status).toBe(401);
    expect((await unknown.json()).error).toMatch(/not known/);

    const { secret } = await createServiceToken(
      db,
      admin,
      { name: "old", scopes: ["migration:report"], expiresInDays: 1 },
      undefined,
      new Date(Date.now() - 2 * 86_400_000),
    );
    const expired = await report(secret, { to: "backed-up" });
    expect(expired.status).toBe(401);
    expect((await expired.json()).error).toMatch(/“old”.*expired on/);

    const { token: narrow, secret: narrowSecret } = await createServiceToken(db, admin, { name: "narrow", scopes: ["migration:report"] });
    await db.serviceToken.update({ where: { id: narrow.id }, data: { scopes: [] } });
    const unscoped = await report(narrowSecret, { to: "backed-up" });
    expect(unscoped.status).toBe(403);
    expect((await unscoped.json()).error).toMatch(/migration:report scope/);

    expect((await apiAudit()).map((row) => [row.outcome, (row.details as { reason: string }).reason])).toEqual([
      ["denied", "missing"],
      ["denied", "unknown"],
      ["denied", "expired"],
      ["denied", "scope"],
    ]);
    expect(await state()).toBe("scheduled");
  });

  it("with a good token moves the state (event via token, audit row, lastUsedAt, the directory told); an illegal step answers 409 with the reason", async () => {
    const { token, secret } = await createServiceToken(db, admin, { name: "migrate-host-2", scopes: ["migration:report"] });
    const told: unknown[] = [];
    const stop = onTenantMigrationWrite((changes) => told.push(...changes));
    try {
      const response = await report(secret, { to: "backed-up", evidence: "pg_dump s3://backups/brightpath.dump" });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ tenantId: TENANT, from: "scheduled", state: "backed-up", stateLabel: "Backed up" });
    } finally {
      stop();
    }
    expect(told).toEqual([{ tenantId: TENANT, state: "backed-up" }]);
    expect(await state()).toBe("backed-up");
    expect(await db.tenantMigrationEvent.findMany()).toEqual([
      expect.objectContaining({
        fromState: "scheduled",
        toState: "backed-up",
        via: "token",
        tokenId: token.id,
        actorEmail: "service-token:migrate-host-2",
        evidence: "pg_dump s3://backups/brightpath.dump",
      }),
    ]);
    expect(await db.auditEvent.findFirst({ where: { action: "migration.tenant-step" } })).toMatchObject({
      outcome: "success",
      actorEmail: "service-token:migrate-host-2",
      details: { from: "scheduled", to: "backed-up", via: "token", tokenId: token.id },
    });
    expect((await listServiceTokens(db)).find((t) => t.id === token.id)?.lastUsedAt).not.toBeNull();

    // Starting on Kubernetes is a wave's runbook run, not something a script attests.
    const illegal = await report(secret, { to: "started-on-kubernetes" });
    expect(illegal.status).toBe(409);
    expect(await illegal.json()).toEqual({ error: "A tenant in “Backed up” cannot move to “Started on Kubernetes”; next is “Stopped on Swarm”." });
    expect(await state()).toBe("backed-up");
    expect((await apiAudit()).at(-1)).toMatchObject({ outcome: "failure", details: { status: 409, to: "started-on-kubernetes", tokenId: token.id } });
  });

  it("answers bad input with 400/404/413 and a message, audited", async () => {
    const { secret } = await createServiceToken(db, admin, { name: "migrate-host-3", scopes: ["migration:report"] });
    const notJson = await report(secret, "to=backed-up");
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error).toMatch(/must be JSON/);
    const badState = await report(secret, { to: "teleported" });
    expect(badState.status).toBe(400);
    expect((await badState.json()).error).toMatch(/^to: /);
    const badId = await report(secret, { to: "backed-up" }, "not-a-tenant\u0000\ud800");
    expect(badId.status).toBe(400);
    const unknownTenant = await report(secret, { to: "backed-up" }, "00000000-0000-4000-8000-000000000000");
    expect(unknownTenant.status).toBe(404);
    const huge = await report(secret, { to: "backed-up", evidence: "x".repeat(STEP_REPORT_BODY_LIMIT_BYTES) });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error).toMatch(/larger than 32 KB/);
    expect((await apiAudit()).map((row) => [row.outcome, (row.details as { status: number }).status])).toEqual([
      ["failure", 400],
      ["failure", 400],
      ["failure", 400],
      ["failure", 404],
      ["failure", 413],
    ]);
    // A NUL or a lone surrogate in the segment cannot go into a text column: the row says U+FFFD.
    expect((await apiAudit())[2]!.targetId).toBe("not-a-tenant\uFFFD\uFFFD");
    expect(await state()).toBe("scheduled");
  });
});

describe("service tokens", () => {
  it("stores only a hash of the secret, shows the prefix, refuses a duplicate name and a second revoke, and audits create and revoke", async () => {
    const { token, secret } = await createServiceToken(db, admin, { name: "ci", scopes: ["migration:report"], expiresInDays: 30 });
    expect(secret).toMatch(/^fdt_[A-Za-z0-9_-]{43}$/);
    expect(token.prefix).toBe(secret.slice(0, 12));
    const row = await db.serviceToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(JSON.stringify(row)).not.toContain(secret.slice(12));
    expect(JSON.stringify(await listServiceTokens(db))).not.toContain(secret.slice(12));
    expect(token).toMatchObject({ status: "active", scopes: ["migration:report"], createdByEmail: "admin@test.local" });

    await expect(createServiceToken(db, admin, { name: "ci", scopes: ["migration:report"] })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await revokeServiceToken(db, admin, token.id)).status).toBe("revoked");
    await expect(revokeServiceToken(db, admin, token.id)).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await db.auditEvent.findMany({ orderBy: { at: "asc" } })).map((e) => [e.action, e.actorEmail])).toEqual([
      ["service-token.create", "admin@test.local"],
      ["service-token.revoke", "admin@test.local"],
    ]);
  });
});

describe("a step attested by a person (migration.tenants.recordStep)", () => {
  it("moves the state, lists it in the history with who and via, and refuses an illegal or stale step with the reason", async () => {
    const { getTenantMigration, recordAttestedStep } = await import("./tenant-steps");
    const person = { user: { id: admin.id, email: admin.email } };
    expect(
      await recordAttestedStep(db, {
        tenantId: TENANT,
        report: { to: "backed-up", evidence: "ticket OPS-12" },
        actor: person,
        via: "person",
        expectFrom: "scheduled",
      }),
    ).toEqual({
      from: "scheduled",
      state: "backed-up",
    });
    const view = await getTenantMigration(db, TENANT);
    expect(view).toMatchObject({ state: "backed-up", nextSteps: ["stopped-on-swarm", "rolled-back"], updatedByEmail: "admin@test.local" });
    expect(view.history).toEqual([
      expect.objectContaining({ from: "scheduled", to: "backed-up", via: "person", actorEmail: "admin@test.local", evidence: "ticket OPS-12" }),
    ]);

    await expect(recordAttestedStep(db, { tenantId: TENANT, report: { to: "done" }, actor: person, via: "person" })).rejects.toMatchObject({
      code: "UNPROCESSABLE",
      userMessage: "A tenant in “Backed up” cannot move to “Done”; next is “Stopped on Swarm”.",
    });
    await expect(
      recordAttestedStep(db, { tenantId: TENANT, report: { to: "stopped-on-swarm" }, actor: person, via: "person", expectFrom: "scheduled" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(recordAttestedStep(db, { tenantId: TENANT, report: { to: "rolled-back" }, actor: person, via: "person" })).rejects.toMatchObject({
      userMessage: "Say why the tenant is rolled back.",
    });
    expect(await state()).toBe("backed-up");
    await expect(getTenantMigration(db, "00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

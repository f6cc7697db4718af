import { beforeEach, describe, expect, it } from "vitest";

import type { AppSession } from "@/server/auth/session";
import { useTestDatabase } from "@/scripts/test-support/test-database";
import { createCallerFactory } from "@/server/trpc/init";
import { registryRouter } from "@/server/trpc/routers/registry";

const HEADER = "id,name,database_name,customer_id,admin_email,instance_type,odoo_version,billing_status,created_at";
const BRIGHTPATH =
  "3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f,odoo-brightpath-logistics-3f2b8c1e,brightpath-logistics,0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70,admin@brightpath.com,production,17.0,active,2024-03-01T09:00:00Z";
const HARBORLINE =
  "7a1c2d3e-4f50-4617-8829-3a4b5c6d7e8f,odoo-harborline-analytics-7a1c2d3e,harborline-analytics,0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70,it@harborline.io,staging,16.0,trial,";
const BAD_DATABASE_NAME =
  "b2c3d4e5-f607-4819-8a2b-3c4d5e6f7081,odoo-acme-b2c3d4e5,Acme Corp,5e6f7081-92a3-4b4c-8d5e-6f708192a3b4,ops@acme.example,development,17.0,active,";
const csv = (...rows: string[]) => [HEADER, ...rows].join("\n");

const db = useTestDatabase({ emptyBeforeEach: ["auditEvent", "tenant", "user"] });
const createCaller = createCallerFactory(registryRouter);
let caller: ReturnType<typeof createCaller>;

beforeEach(async () => {
  const admin = await db.user.create({ data: { email: "admin@test.local", name: "Admin", role: "admin" } });
  const session: AppSession = { user: { id: admin.id, email: admin.email, name: admin.name, role: "admin" } };
  caller = createCaller({ session, headers: new Headers(), db });
});

describe("registry router", () => {
  it("preview reports what an import would do and writes nothing", async () => {
    const preview = await caller.preview({ text: csv(BRIGHTPATH, HARBORLINE), format: "csv" });
    expect(preview).toMatchObject({ rows: 2, created: 2, updated: 0, unchanged: 0, problems: [], problemCount: 0 });
    expect(await db.tenant.count()).toBe(0);
    expect(await db.auditEvent.count()).toBe(0);
  });

  it("import with a bad row writes nothing and returns the problems instead of throwing", async () => {
    const result = await caller.import({ text: csv(BRIGHTPATH, BAD_DATABASE_NAME), format: "csv" });
    expect(result).toMatchObject({ created: 0, updated: 0, unchanged: 0 });
    expect(result.problemCount).toBe(1);
    expect(result.problems).toEqual([{ row: 3, field: "database_name", problem: expect.stringContaining("'Acme Corp'") }]);
    expect(await db.tenant.count()).toBe(0);
    expect(await db.auditEvent.count()).toBe(0);
  });

  it("a clean import creates the rows in the default cluster, records who did it, and a second preview sees them", async () => {
    const result = await caller.import({ text: csv(BRIGHTPATH, HARBORLINE), format: "csv" });
    expect(result).toMatchObject({ created: 2, updated: 0, unchanged: 0, problems: [], problemCount: 0 });
    const tenants = await db.tenant.findMany({ orderBy: { databaseName: "asc" } });
    expect(tenants.map((t) => [t.databaseName, t.cluster])).toEqual([
      ["brightpath-logistics", "default"],
      ["harborline-analytics", "default"],
    ]);
    const audit = await db.auditEvent.findFirstOrThrow();
    expect(audit).toMatchObject({ action: "registry.import", actorEmail: "admin@test.local" });

    const changed = HARBORLINE.replace(",trial,", ",active,");
    expect(await caller.preview({ text: csv(BRIGHTPATH, changed), format: "csv" })).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
  });

  it("preview catches a database_name another instance already holds in the registry", async () => {
    await caller.import({ text: csv(BRIGHTPATH), format: "csv" });
    const taker = BRIGHTPATH.replace("3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f", "e1f2a3b4-c5d6-4e7f-8091-a2b3c4d5e6f7");
    const preview = await caller.preview({ text: csv(taker), format: "csv", cluster: "eu-1" });
    expect(preview.problems).toEqual([{ row: 2, field: "database_name", problem: expect.stringContaining("already belongs") }]);
  });

  it("refuses an unknown format with a readable message", async () => {
    await expect(caller.preview({ text: "x", format: "xml" as "csv" })).rejects.toThrow(/Choose the file format/);
  });
});

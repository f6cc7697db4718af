import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { useTestDatabase } from "@/scripts/test-support/test-database";

import { listRegistryTenants } from "./registry";
import { importRegistry, parseRegistryFile, previewRegistryImport } from "./registry-import";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "__fixtures__", name), "utf8");
const importer = { cluster: "eu-1", actor: { name: "admin@fleetdeck.local" } };

describe("parseRegistryFile", () => {
  it("reads the instance service's CSV export", () => {
    const { rows, problems } = parseRegistryFile(fixture("registry-good.csv"), "csv");
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({
      id: "3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f",
      name: "odoo-brightpath-logistics-3f2b8c1e",
      databaseName: "brightpath-logistics",
      customerId: "0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70",
      customerEmail: "admin@brightpath.com",
      instanceType: "production",
      odooVersion: "17.0",
      billingStatus: "active",
      createdAt: new Date("2024-03-01T09:00:00Z"),
    });
    // "17" means 17.0; an empty created_at is simply unknown.
    expect(rows[2]).toMatchObject({ databaseName: "acme_test", odooVersion: "17.0" });
    expect(rows[2]).not.toHaveProperty("createdAt");
  });

  it("reads JSON as an array or as {instances: [...]} with camelCase names, normalising case", () => {
    expect(parseRegistryFile(fixture("registry-good.json"), "json")).toMatchObject({ problems: [], rows: [{}, {}] });
    const { rows, problems } = parseRegistryFile(fixture("registry-good-instances-camel.json"), "json");
    expect(problems).toEqual([]);
    expect(rows[0]).toMatchObject({
      id: "c4d5e6f7-0819-4a2b-9c3d-4e5f60718293",
      customerEmail: "admin@quartz-consulting.eu",
      instanceType: "production",
      odooVersion: "18.0",
    });
  });

  it("reports every problem by row and field, in plain words", () => {
    const { problems } = parseRegistryFile(fixture("registry-bad.csv"), "csv");
    expect(problems).toEqual([
      { row: 3, field: "id", problem: "id 'not-a-uuid' must be a UUID such as 3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f" },
      {
        row: 3,
        field: "database_name",
        problem:
          "database_name 'Acme Corp' must start with a lowercase letter and use only lowercase letters, digits, hyphens and underscores (at most 63 characters)",
      },
      { row: 3, field: "instance_type", problem: "instance_type 'prod' must be one of development, staging, production" },
      { row: 4, field: "name", problem: "name is empty; every row needs one" },
      { row: 4, field: "admin_email", problem: "admin_email 'not-an-email' is not an email address" },
      { row: 4, field: "odoo_version", problem: "odoo_version '17.x' must be an Odoo version such as 17.0" },
      { row: 4, field: "billing_status", problem: "billing_status 'cancelled' must be one of active, trial, suspended, overdue" },
      { row: 4, field: "created_at", problem: "created_at 'yesterday' must be a date such as 2024-05-01T10:00:00Z" },
      { row: 5, field: "id", problem: "id '3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f' appears again (first on row 2)" },
      {
        row: 6,
        field: "database_name",
        problem: "database_name 'brightpath-logistics' is already used on row 2 by another instance",
      },
    ]);
  });

  it("names the column the file uses (camelCase stays camelCase)", () => {
    const text = JSON.stringify([{ ...JSON.parse(fixture("registry-good-instances-camel.json")).instances[0], databaseName: "Bad Name" }]);
    expect(parseRegistryFile(text, "json").problems).toEqual([
      expect.objectContaining({ row: 1, field: "databaseName", problem: expect.stringMatching(/^databaseName 'Bad Name' must start/) }),
    ]);
  });

  it("refuses NUL and other control characters in a cell, which PostgreSQL would reject mid-import", () => {
    const instance = JSON.parse(fixture("registry-good-instances-camel.json")).instances[0];
    const text = JSON.stringify([{ ...instance, name: "Acme\u0000Corp", adminEmail: "ops@acme.test\u0007" }]);
    expect(parseRegistryFile(text, "json").problems).toEqual([
      { row: 1, field: "name", problem: "name cannot contain control characters (such as NUL, tabs or line breaks)" },
      { row: 1, field: "adminEmail", problem: "adminEmail cannot contain control characters (such as NUL, tabs or line breaks)" },
    ]);
  });

  it("reports a missing column once, a broken file and an empty file", () => {
    expect(parseRegistryFile(fixture("registry-missing-column.csv"), "csv").problems).toEqual([
      { row: 1, field: "admin_email", problem: "the column admin_email is missing" },
    ]);
    expect(parseRegistryFile(fixture("registry-bad-syntax.json"), "json").problems).toEqual([
      { row: 0, field: "file", problem: expect.stringMatching(/^the file is not valid JSON/) },
    ]);
    expect(parseRegistryFile('{"tenants": []}', "json").problems).toEqual([
      { row: 0, field: "file", problem: 'the JSON must be an array of instances or an object {"instances": [...]}' },
    ]);
    expect(parseRegistryFile("[]", "json").problems).toEqual([{ row: 0, field: "file", problem: "the file holds no instances" }]);
    const odd = parseRegistryFile('[1, {"id": "3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f"}]', "json").problems;
    expect(odd[0]).toEqual({ row: 1, field: "file", problem: "this entry is not an object with instance fields" });
    expect(odd[1]).toEqual({ row: 2, field: "name", problem: "name is missing; every row needs one" });
    expect(odd).toHaveLength(8);
  });

  it("reads the optional platform column: absent or blank means kubernetes, swarm is kept, anything else is a problem", () => {
    const instances = JSON.parse(fixture("registry-good.json")) as Record<string, unknown>[];
    const { rows, problems } = parseRegistryFile(
      JSON.stringify([
        { ...instances[0], platform: "Swarm" },
        { ...instances[1], platform: "" },
      ]),
      "json",
    );
    expect(problems).toEqual([]);
    expect(rows[0].platform).toBe("swarm");
    expect(rows[1]).not.toHaveProperty("platform");
    expect(parseRegistryFile(fixture("registry-good.csv"), "csv").rows.every((row) => row.platform === undefined)).toBe(true);

    const csv = fixture("registry-good.csv").trim().split("\n");
    const withColumn = [`${csv[0]},platform`, `${csv[1]},kubernetes`, `${csv[2]},swarm`, `${csv[3]},docker`].join("\n");
    const parsed = parseRegistryFile(withColumn, "csv");
    expect(parsed.problems).toEqual([{ row: 4, field: "platform", problem: "platform 'docker' must be one of kubernetes, swarm (or empty for kubernetes)" }]);
    expect(parsed.rows.map((row) => row.platform)).toEqual(["kubernetes", "swarm"]);
  });
});

describe("importRegistry", () => {
  const db = useTestDatabase({ emptyBeforeEach: ["auditEvent", "tenantMigrationEvent", "tenantMigration", "tenant"] });

  it("creates, then reports unchanged, then updates by id; records an audit event each time", async () => {
    expect(await importRegistry(db, fixture("registry-good.csv"), "csv", importer)).toEqual({
      created: 3,
      updated: 0,
      unchanged: 0,
      onSwarm: 0,
      problems: [],
    });
    expect(await importRegistry(db, fixture("registry-good.csv"), "csv", importer)).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 3,
    });
    // The JSON export has harborline overdue instead of trial; brightpath is identical.
    expect(await importRegistry(db, fixture("registry-good.json"), "json", importer)).toMatchObject({
      created: 0,
      updated: 1,
      unchanged: 1,
    });

    const harborline = await db.tenant.findUniqueOrThrow({ where: { id: "7a1c2d3e-4f50-4617-8829-3a4b5c6d7e8f" } });
    expect(harborline).toMatchObject({ billingStatus: "overdue", cluster: "eu-1", odooVersion: "16.0" });
    expect(harborline.createdAt.toISOString()).toBe("2024-04-12T14:30:00.000Z");
    expect((await listRegistryTenants(db)).map((t) => t.databaseName)).toEqual(["acme_test", "brightpath-logistics", "harborline-analytics"]);
    expect(await listRegistryTenants(db, { cluster: "other" })).toEqual([]);

    const events = await db.auditEvent.findMany({ orderBy: { at: "asc" } });
    expect(events).toHaveLength(3);
    expect(events[2]).toMatchObject({
      action: "registry.import",
      actorEmail: "admin@fleetdeck.local",
      targetKind: "registry",
      targetId: "eu-1",
      details: { format: "json", rows: 2, created: 0, updated: 1, unchanged: 1 },
    });
  });

  it("changes nothing when any row has a problem", async () => {
    await importRegistry(db, fixture("registry-good.json"), "json", importer);
    const before = await listRegistryTenants(db);

    const result = await importRegistry(db, fixture("registry-bad.csv"), "csv", importer);
    expect(result).toMatchObject({ created: 0, updated: 0, unchanged: 0 });
    expect(result.problems).toHaveLength(10);
    expect(await listRegistryTenants(db)).toEqual(before);
    expect(await db.auditEvent.count()).toBe(1);
  });

  it("refuses a database_name that another instance already holds in the registry", async () => {
    await importRegistry(db, fixture("registry-good.json"), "json", importer);
    const clash = JSON.stringify([{ ...JSON.parse(fixture("registry-good-instances-camel.json")).instances[0], databaseName: "brightpath-logistics" }]);
    const result = await importRegistry(db, clash, "json", importer);
    expect(result.problems).toEqual([
      {
        row: 1,
        field: "database_name",
        problem: "database_name 'brightpath-logistics' already belongs to instance 3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f in the registry",
      },
    ]);
    expect(await db.tenant.count()).toBe(2);
  });

  it("tracks a tenant on Swarm as “on-swarm” (with an import event) and never overwrites an existing migration row", async () => {
    const instances = JSON.parse(fixture("registry-good.json")) as Record<string, unknown>[];
    const [first, second] = instances.map((row) => String(row.id ?? row.instance_id));
    const onSwarm = JSON.stringify(instances.map((row) => ({ ...row, platform: "swarm" })));

    // The preview says so and writes nothing.
    expect(await previewRegistryImport(db, onSwarm, "json", { cluster: "eu-1" })).toMatchObject({ created: 2, onSwarm: 2, problems: [] });
    expect(await db.tenantMigration.count()).toBe(0);

    // One of them already has a migration under way (a wave moved it on).
    await db.tenantMigration.create({ data: { tenantId: second, state: "backed-up", updatedByEmail: "pm@fleetdeck.local" } });
    expect(await importRegistry(db, onSwarm, "json", importer)).toMatchObject({ created: 2, onSwarm: 1, problems: [] });

    expect(await db.tenantMigration.findUniqueOrThrow({ where: { tenantId: first } })).toMatchObject({
      state: "on-swarm",
      updatedByEmail: "admin@fleetdeck.local",
    });
    expect(await db.tenantMigration.findUniqueOrThrow({ where: { tenantId: second } })).toMatchObject({ state: "backed-up" });
    expect(await db.tenantMigrationEvent.findMany({ select: { tenantId: true, fromState: true, toState: true, via: true } })).toEqual([
      { tenantId: first, fromState: "native", toState: "on-swarm", via: "import" },
    ]);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "registry.import" } });
    expect(audit.details).toMatchObject({ created: 2, onSwarm: 1 });

    // Importing the same file again changes nothing; a file without the column leaves the rows alone.
    expect(await importRegistry(db, onSwarm, "json", importer)).toMatchObject({ unchanged: 2, onSwarm: 0 });
    expect(await importRegistry(db, fixture("registry-good.json"), "json", importer)).toMatchObject({ onSwarm: 0 });
    expect(await db.tenantMigration.count()).toBe(2);
    expect(await db.tenantMigrationEvent.count()).toBe(1);
  });
});

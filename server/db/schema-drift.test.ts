// Fails when prisma/schema.prisma and prisma/migrations disagree, e.g. a model, field or enum value
// added to the schema without `npm run db:migration:new -- <name>`.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { applyMigrations, defaultMigrationsDir } from "./migrate";
import { diffShapes, readSchemaDmmf, shapeFromDatabase, shapeFromDmmf, type SchemaShape } from "@/scripts/test-support/schema-shape";

const schemaPath = path.resolve(defaultMigrationsDir(), "..", "schema.prisma");

async function migratedShape(migrationsDir?: string): Promise<SchemaShape> {
  const db = new PGlite("memory://");
  try {
    await applyMigrations(db, { migrationsDir });
    return await shapeFromDatabase(db);
  } finally {
    await db.close();
  }
}

async function declaredShape(schemaFile: string): Promise<SchemaShape> {
  return shapeFromDmmf(await readSchemaDmmf(schemaFile));
}

describe("schema.prisma and prisma/migrations", () => {
  let migrated: SchemaShape;
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), "fleetdeck-drift-"));
    migrated = await migratedShape();
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it("describe the same database", async () => {
    const problems = diffShapes(await declaredShape(schemaPath), migrated);
    expect(
      problems,
      `schema.prisma and the migrations disagree. If you changed schema.prisma, run ` +
        "`npm run db:migration:new -- <name>` and commit the new migration folder.",
    ).toEqual([]);
  });

  it("catches a model, a field, an enum value, an index and a nullability change missing from the migrations", async () => {
    const schema = await readFile(schemaPath, "utf8");
    const edited = schema
      .replace(/(enum BillingStatus \{[^}]*)\}/, "$1  cancelled\n}")
      .replace(/(model Tenant \{\n)/, "$1  notes String?\n")
      .replace("  name               String\n", "  name               String?\n")
      .replace("  @@index([actorId])\n", "  @@index([actorId])\n  @@index([action])\n")
      .concat("\nmodel Runbook {\n  id    String @id\n  title String\n}\n");
    expect(edited).not.toBe(schema);
    const copy = path.join(scratch, "edited.prisma");
    await writeFile(copy, edited);

    const problems = diffShapes(await declaredShape(copy), migrated);
    expect(problems).toEqual(
      expect.arrayContaining([
        "enum BillingStatus value 'cancelled' is in schema.prisma but no migration adds it",
        "column Tenant.notes is in schema.prisma but no migration creates it",
        "column User.name is optional in schema.prisma but NOT NULL after the migrations",
        "table AuditEvent index(action) is in schema.prisma but no migration creates it",
        "table Runbook (model) is in schema.prisma but no migration creates it",
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it("catches a migration that changes the database behind the schema's back", async () => {
    const dir = path.join(scratch, "migrations");
    await cp(defaultMigrationsDir(), dir, { recursive: true });
    await mkdir(path.join(dir, "29990101000000_hand_edit"));
    await writeFile(
      path.join(dir, "29990101000000_hand_edit", "migration.sql"),
      `ALTER TABLE "Tenant" ADD COLUMN "region" TEXT;\nALTER TABLE "Tenant" ALTER COLUMN "cluster" SET DEFAULT 'eu-1';\n`,
    );
    const problems = diffShapes(await declaredShape(schemaPath), await migratedShape(dir));
    expect(problems).toEqual([
      "column Tenant.cluster defaults to default in schema.prisma but to eu-1 after the migrations",
      "column Tenant.region exists after the migrations but not in schema.prisma",
    ]);
  });
});

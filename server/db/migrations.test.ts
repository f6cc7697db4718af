// The committed migrations applied by our runner on PGlite and, when TEST_DATABASE_URL points at
// one (scripts/start-test-postgres.sh prints such a URL), on a real PostgreSQL in a database
// created for this run.
import { randomBytes } from "node:crypto";
import { cp, mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { closeDb, openDb, resolveDatabaseTarget } from "./connect";
import type { PrismaClient } from "./generated/client";
import { applyMigrations, defaultMigrationsDir, listAppliedMigrations, migrationChecksum, MigrationError, readMigrations } from "./migrate";

const testDatabaseUrl = process.env.TEST_DATABASE_URL?.trim();
if (!testDatabaseUrl) {
  console.warn(
    "[migrations.test] PostgreSQL part skipped: TEST_DATABASE_URL is unset. " +
      'Run `export TEST_DATABASE_URL="$(scripts/start-test-postgres.sh)"` to include it (.ci/run does).',
  );
}

/** A database of its own for this run: a fresh database, or a fresh schema if CREATE DATABASE is denied. */
async function freshPostgres(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `fleetdeck_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      drop: async () => {
        const client = new pg.Client({ connectionString: baseUrl });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await client.end();
      },
    };
  } catch (error) {
    if ((error as { code?: string }).code !== "42501") throw error;
    await admin.query(`CREATE SCHEMA "${name}"`);
    const url = new URL(baseUrl);
    url.searchParams.set("options", `-c search_path=${name}`);
    return {
      url: url.toString(),
      drop: async () => {
        const client = new pg.Client({ connectionString: baseUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
        await client.end();
      },
    };
  } finally {
    await admin.end();
  }
}

interface Backend {
  name: string;
  open(): Promise<{ db: PrismaClient; close: () => Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: "PGlite",
    open: async () => {
      const db = openDb(resolveDatabaseTarget("memory://"));
      return { db, close: () => closeDb(db) };
    },
  },
];
if (testDatabaseUrl) {
  backends.push({
    name: "PostgreSQL",
    open: async () => {
      const fresh = await freshPostgres(testDatabaseUrl);
      const db = openDb(resolveDatabaseTarget(fresh.url));
      return {
        db,
        close: async () => {
          await closeDb(db);
          await fresh.drop();
        },
      };
    },
  });
}

async function copyMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "fleetdeck-migrations-"));
  await cp(defaultMigrationsDir(), dir, { recursive: true });
  return dir;
}

describe.each(backends)("migrations on $name", (backend) => {
  let db: PrismaClient;
  let close: () => Promise<void>;
  const scratchDirs: string[] = [];

  beforeAll(async () => {
    ({ db, close } = await backend.open());
  });
  afterAll(async () => {
    await close?.();
    await Promise.all(scratchDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("applies every migration once, then finds nothing left to do", async () => {
    const files = await readMigrations();
    expect(files.length).toBeGreaterThan(0);

    const first = await applyMigrations(db);
    expect(first.applied).toEqual(files.map((f) => f.name));
    expect(first.alreadyApplied).toEqual([]);

    const second = await applyMigrations(db);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(files.map((f) => f.name));
  });

  it("records each migration in _prisma_migrations the way Prisma does", async () => {
    const files = await readMigrations();
    const records = await listAppliedMigrations(db);
    expect(records.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [index, record] of records.entries()) {
      const bytes = await readFile(path.join(defaultMigrationsDir(), files[index].name, "migration.sql"));
      expect(record.checksum).toBe(migrationChecksum(bytes));
      expect(record.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(record.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(record.finished_at).toBeInstanceOf(Date);
      expect(record.started_at).toBeInstanceOf(Date);
      expect(record.finished_at!.getTime()).toBeGreaterThanOrEqual(record.started_at.getTime());
      expect(record.rolled_back_at).toBeNull();
      expect(record.logs).toBeNull();
      expect(record.applied_steps_count).toBe(1);
    }
  });

  it("leaves a schema Prisma Client can use (enums, JSON, relations)", async () => {
    const user = await db.user.create({ data: { email: `ops-${backend.name}@example.com`, name: "Ops", role: "operator" } });
    await db.tenant.create({
      data: {
        id: "5f0c6a1e-8d3b-4c2a-9e7f-1a2b3c4d5e6f",
        name: "odoo-acme-5f0c6a1e",
        databaseName: "acme",
        customerId: "0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70",
        customerEmail: "admin@acme.example",
        instanceType: "production",
        odooVersion: "17.0",
        billingStatus: "trial",
      },
    });
    await db.auditEvent.create({
      data: { actorId: user.id, actorEmail: user.email, action: "test", targetKind: "tenant", targetId: "acme", details: { rows: 1 } },
    });
    const event = await db.auditEvent.findFirstOrThrow({ include: { actor: true } });
    expect(event.actor?.email).toBe(user.email);
    expect(event.details).toEqual({ rows: 1 });
    expect((await db.tenant.findUniqueOrThrow({ where: { databaseName: "acme" } })).cluster).toBe("default");
  });

  it("keeps the audit log append-only for the role the portal connects as", async () => {
    const user = await db.user.create({ data: { email: `gone-${backend.name}@example.com`, name: "Gone" } });
    const event = await db.auditEvent.create({
      data: { actorId: user.id, actorEmail: user.email, action: "test.append-only", targetKind: "user", targetId: user.id, outcome: "denied" },
    });
    await expect(db.auditEvent.update({ where: { id: event.id }, data: { outcome: "success" } })).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.deleteMany({ where: { id: event.id } })).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe('TRUNCATE "AuditEvent"')).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.create({ data: { actorEmail: "x", action: "test", targetKind: "t", targetId: "t", outcome: "maybe" } })).rejects.toThrow(
      /AuditEvent_outcome_check/,
    );

    // The foreign key's ON DELETE SET NULL is the one update allowed.
    await db.user.delete({ where: { id: user.id } });
    expect(await db.auditEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ actorId: null, actorEmail: user.email, outcome: "denied" });
  });

  it("refuses to continue when an applied migration's file has changed", async () => {
    const dir = await copyMigrations();
    scratchDirs.push(dir);
    const [first] = await readMigrations(dir);
    const file = path.join(dir, first.name, "migration.sql");
    await writeFile(file, `${await readFile(file, "utf8")}\n-- edited after it was applied\n`);
    await mkdir(path.join(dir, "29990101000000_pending"));
    await writeFile(path.join(dir, "29990101000000_pending", "migration.sql"), 'CREATE TABLE "Pending" ("id" INTEGER);\n');

    const attempt = applyMigrations(db, { migrationsDir: dir });
    await expect(attempt).rejects.toBeInstanceOf(MigrationError);
    await expect(attempt).rejects.toThrow(new RegExp(`Migration ${first.name} was already applied, but its migration.sql has changed`));
    const names = (await listAppliedMigrations(db)).map((r) => r.migration_name);
    expect(names).not.toContain("29990101000000_pending");
  });

  it("applies a new migration in order and rolls back a failing one completely", async () => {
    const dir = await copyMigrations();
    scratchDirs.push(dir);
    await mkdir(path.join(dir, "29990101000000_add_notes"));
    await writeFile(
      path.join(dir, "29990101000000_add_notes", "migration.sql"),
      'ALTER TABLE "Tenant" ADD COLUMN "notes" TEXT;\nCREATE INDEX "Tenant_notes_idx" ON "Tenant"("notes");\n',
    );
    await mkdir(path.join(dir, "29990102000000_broken"));
    await writeFile(path.join(dir, "29990102000000_broken", "migration.sql"), 'CREATE TABLE "HalfDone" ("id" INTEGER);\nSELECT no_such_function();\n');

    await expect(applyMigrations(db, { migrationsDir: dir })).rejects.toThrow(/Migration 29990102000000_broken failed and was rolled back/);
    const names = (await listAppliedMigrations(db)).map((r) => r.migration_name);
    expect(names).toContain("29990101000000_add_notes");
    expect(names).not.toContain("29990102000000_broken");
    const halfDone = await db.$queryRawUnsafe<{ present: boolean }[]>(`SELECT to_regclass('"HalfDone"') IS NOT NULL AS present`);
    expect(halfDone[0].present).toBe(false);
    const notes = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'Tenant' AND column_name = 'notes'`,
    );
    expect(notes[0].n).toBe(1);
  });

  it("lets several runners race without applying anything twice", async () => {
    const { db: other, close: closeOther } = await backend.open();
    try {
      const results = await Promise.all([applyMigrations(other), applyMigrations(other), applyMigrations(other)]);
      const appliedTotal = results.flatMap((r) => r.applied);
      const files = await readMigrations();
      expect(appliedTotal.sort()).toEqual(files.map((f) => f.name).sort());
      const records = await listAppliedMigrations(other);
      expect(records).toHaveLength(files.length);
    } finally {
      await closeOther();
    }
  });
});

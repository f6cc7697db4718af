import "server-only";

// The throw-away database a Vitest suite runs against. Imported by tests only.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach } from "vitest";

import { closeDb, openDb, resolveDatabaseTarget } from "@/server/db/connect";
import type { Prisma, PrismaClient } from "@/server/db/generated/client";
import { applyMigrations } from "@/server/db/migrate";
import { onServer } from "@/scripts/lib/test-postgres";

/** A table by its client property: "auditEvent", "tenant", "user". */
export type TableName = Uncapitalize<Prisma.ModelName>;

export interface TestDatabaseOptions {
  /**
   * Tables emptied before each test, in this order: name rows that point at others first
   * (audit events before users). Hooks the suite adds after this call run after the emptying.
   */
  emptyBeforeEach?: readonly TableName[];
  /**
   * A PostgreSQL server to run on instead of an in-memory PGlite (see testDatabaseBackends); the
   * suite gets a database of its own there, dropped after its last test.
   */
  postgresUrl?: string;
}

/**
 * The databases a suite that must behave the same on both runs on, for `describe.each`: PGlite
 * always, PostgreSQL too when TEST_DATABASE_URL points at one (scripts/start-test-postgres.sh).
 */
export const testDatabaseBackends: { name: string; postgresUrl?: string }[] = [
  { name: "PGlite" },
  ...(process.env.TEST_DATABASE_URL?.trim() ? [{ name: "PostgreSQL", postgresUrl: process.env.TEST_DATABASE_URL.trim() }] : []),
];

/**
 * An in-memory PGlite database for the enclosing suite (file or `describe`): migrated before its
 * first test, closed after its last. The client is opened now, so the suite can hold it in a
 * const; nothing touches the database until the migrations run.
 */
export function useTestDatabase(options: TestDatabaseOptions = {}): PrismaClient {
  const name = `fleetdeck_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  let url = "memory://";
  if (options.postgresUrl) {
    const target = new URL(options.postgresUrl);
    target.pathname = `/${name}`;
    url = target.toString();
  }
  // The client connects on its first query, after beforeAll made the database it names.
  const db = openDb(resolveDatabaseTarget(url));
  beforeAll(async () => {
    if (options.postgresUrl) await onServer(options.postgresUrl, `CREATE DATABASE "${name}"`);
    await applyMigrations(db);
  });
  afterAll(async () => {
    await closeDb(db);
    if (options.postgresUrl) await onServer(options.postgresUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
  const tables = options.emptyBeforeEach ?? [];
  if (tables.length > 0) {
    beforeEach(async () => {
      for (const table of tables) {
        if (table === "auditEvent") await emptyAuditLog(db, options.postgresUrl !== undefined);
        // Every model delegate has deleteMany; the union of their signatures is not callable as such.
        else await (db[table] as { deleteMany(): Promise<unknown> }).deleteMany();
      }
    });
  }
  return db;
}

/**
 * The audit log's triggers refuse DELETE and TRUNCATE (prisma/migrations/*_audit_outcome_source).
 * PGlite runs as a superuser, who may switch ordinary triggers off for one transaction; the
 * portal's role in production is not one, so this way out exists for tests only. On a PostgreSQL
 * test server the suite's role owns the database it created, and an owner may switch the table's
 * triggers off instead.
 */
async function emptyAuditLog(db: PrismaClient, asOwner: boolean): Promise<void> {
  await db.$transaction(async (tx) => {
    if (asOwner) {
      await tx.$executeRawUnsafe('ALTER TABLE "AuditEvent" DISABLE TRIGGER USER');
      await tx.$executeRawUnsafe('TRUNCATE "AuditEvent"');
      await tx.$executeRawUnsafe('ALTER TABLE "AuditEvent" ENABLE TRIGGER USER');
      return;
    }
    await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
    await tx.$executeRawUnsafe('TRUNCATE "AuditEvent"');
  });
}

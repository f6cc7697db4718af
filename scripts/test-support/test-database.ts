import "server-only";

// The throw-away database a Vitest suite runs against. Imported by tests only.
import { afterAll, beforeAll, beforeEach } from "vitest";

import { closeDb, openDb, resolveDatabaseTarget } from "@/server/db/connect";
import type { Prisma, PrismaClient } from "@/server/db/generated/client";
import { applyMigrations } from "@/server/db/migrate";

/** A table by its client property: "auditEvent", "tenant", "user". */
export type TableName = Uncapitalize<Prisma.ModelName>;

export interface TestDatabaseOptions {
  /**
   * Tables emptied before each test, in this order: name rows that point at others first
   * (audit events before users). Hooks the suite adds after this call run after the emptying.
   */
  emptyBeforeEach?: readonly TableName[];
}

/**
 * An in-memory PGlite database for the enclosing suite (file or `describe`): migrated before its
 * first test, closed after its last. The client is opened now, so the suite can hold it in a
 * const; nothing touches the database until the migrations run.
 */
export function useTestDatabase(options: TestDatabaseOptions = {}): PrismaClient {
  const db = openDb(resolveDatabaseTarget("memory://"));
  beforeAll(async () => {
    await applyMigrations(db);
  });
  afterAll(async () => {
    await closeDb(db);
  });
  const tables = options.emptyBeforeEach ?? [];
  if (tables.length > 0) {
    beforeEach(async () => {
      for (const table of tables) {
        if (table === "auditEvent") await emptyAuditLog(db);
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
 * portal's role in production is not one, so this way out exists for tests only.
 */
async function emptyAuditLog(db: PrismaClient): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
    await tx.$executeRawUnsafe('TRUNCATE "AuditEvent"');
  });
}

import "server-only";

import { env } from "@/server/env";

import { describeDatabaseError, openDb, registerDb, resolveDatabaseTarget, type DatabaseTarget } from "./connect";
import type { PrismaClient } from "./generated/client";
import { applyMigrations, type ApplyMigrationsResult } from "./migrate";

export { closeDb, createDb, describeDatabaseError, DatabaseUnavailableError } from "./connect";
export type { PrismaClient } from "./generated/client";

type DbGlobal = typeof globalThis & {
  __fleetdeckDb?: { db: PrismaClient; target: DatabaseTarget };
  __fleetdeckDbMigrated?: Promise<ApplyMigrationsResult>;
};

/**
 * The portal's Prisma client: PGlite under FLEETDECK_DATA_DIR/pglite when DATABASE_URL is unset
 * or file:..., PostgreSQL for postgres://. Kept on globalThis because Next may evaluate this module
 * more than once per process (dev reloads, separate route bundles), and PGlite must never be
 * opened twice on the same directory.
 *
 * Errors about reaching the database arrive as DatabaseUnavailableError with a readable message
 * ("Cannot reach the database at db:5432: ..."), not as Prisma's stack-framed text.
 */
export function getDb(): PrismaClient {
  const store = globalThis as DbGlobal;
  if (!store.__fleetdeckDb) {
    const target = resolveDatabaseTarget(env.DATABASE_URL, env.PGLITE_DIR);
    store.__fleetdeckDb = { db: withReadableErrors(openDb(target), target), target };
  }
  return store.__fleetdeckDb.db;
}

/** Where getDb() points, for status pages and logs (no password). */
export function getDbTarget(): DatabaseTarget {
  getDb();
  return (globalThis as DbGlobal).__fleetdeckDb!.target;
}

/**
 * Applies pending migrations to getDb()'s database once per process; for a start-up hook
 * (Next's instrumentation `register()`), so a deployment on PostgreSQL migrates itself the way
 * `npm run demo` does through scripts/db-prepare.ts. Safe next to other replicas (advisory lock).
 */
export function migrateDbOnce(): Promise<ApplyMigrationsResult> {
  const store = globalThis as DbGlobal;
  store.__fleetdeckDbMigrated ??= applyMigrations(getDb()).catch((error: unknown) => {
    store.__fleetdeckDbMigrated = undefined;
    throw describeDatabaseError(error, getDbTarget());
  });
  return store.__fleetdeckDbMigrated;
}

function withReadableErrors(db: PrismaClient, target: DatabaseTarget): PrismaClient {
  const extended = db.$extends({
    name: "readable-database-errors",
    query: {
      async $allOperations({ args, query }) {
        try {
          return await query(args);
        } catch (error) {
          throw describeDatabaseError(error, target);
        }
      },
    },
  });
  // The extension adds no model or method, so the extended client is a PrismaClient in all but name.
  const client = extended as unknown as PrismaClient;
  registerDb(client, db);
  return client;
}

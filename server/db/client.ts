import "server-only";

import { env } from "@/server/env";

import { describeDatabaseError, openDb, registerDb, resolveDatabaseTarget, type DatabaseTarget } from "./connect";
import type { PrismaClient } from "./generated/client";
import { applyMigrations, type ApplyMigrationsResult } from "./migrate";

export type { PrismaClient } from "./generated/client";

export interface PortalDatabase {
  db: PrismaClient;
  /** Where it points, for messages (no password). */
  target: DatabaseTarget;
}

/**
 * The portal's Prisma client: PGlite under FLEETDECK_DATA_DIR/pglite when DATABASE_URL is unset
 * or file:..., PostgreSQL for postgres://. Opened once per process, by server/runtime.ts: PGlite
 * must never be opened twice on the same directory.
 *
 * Errors about reaching the database arrive as DatabaseUnavailableError with a readable message
 * ("Cannot reach the database at db:5432: ..."), not as Prisma's stack-framed text.
 */
export function openPortalDb(): PortalDatabase {
  const target = resolveDatabaseTarget(env.DATABASE_URL, env.PGLITE_DIR);
  return { db: withReadableErrors(openDb(target), target), target };
}

/** Applies pending migrations; a failure to reach the database comes back in the same readable words. */
export async function migratePortalDb(database: PortalDatabase): Promise<ApplyMigrationsResult> {
  try {
    return await applyMigrations(database.db);
  } catch (error) {
    throw describeDatabaseError(error, database.target);
  }
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

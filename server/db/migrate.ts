import "server-only";

// The project's own `prisma migrate deploy`: Prisma 7's migrate commands need a native engine we
// cannot download, so this applies prisma/migrations/*/migration.sql itself and keeps the
// `_prisma_migrations` table exactly as Prisma keeps it, so that `prisma migrate status|deploy`
// on a machine with the engine agrees with what ran here.
import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite, Transaction as PGliteTransaction } from "@electric-sql/pglite";

import type { PrismaClient } from "./generated/client";

/** The key `prisma migrate` itself locks, so our runner and Prisma's never run at once. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

// Prisma's own definition for PostgreSQL (schema-engine, postgres flavour).
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationRecord {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

export interface ApplyMigrationsResult {
  /** Migrations applied by this call, in order. */
  applied: string[];
  /** Migrations that were already applied before this call. */
  alreadyApplied: string[];
  /** Recorded as applied in the database but absent from the migrations folder (a newer build ran?). */
  unknownInDatabase: string[];
}

export interface ApplyMigrationsOptions {
  /** Defaults to prisma/migrations of the working directory (or of this checkout). */
  migrationsDir?: string;
  /** Progress lines ("Applying 2026..._init"); silent by default. */
  log?: (line: string) => void;
}

export class MigrationError extends Error {
  override name = "MigrationError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** SHA-256 of the file's bytes in lowercase hex, as Prisma stores it in `checksum`. */
export function migrationChecksum(sql: string | Buffer): string {
  return createHash("sha256").update(sql).digest("hex");
}

export function defaultMigrationsDir(): string {
  const fromCwd = path.resolve(/*turbopackIgnore: true*/ process.cwd(), "prisma", "migrations");
  if (existsSync(/*turbopackIgnore: true*/ fromCwd)) return fromCwd;
  // Scripts run from elsewhere still find the checkout's folder (server/db -> ../../prisma).
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "prisma", "migrations");
}

/** The migration folders in the order Prisma applies them (lexical, i.e. by timestamp prefix). */
// The turbopackIgnore hints keep Next's file tracer from pulling the whole checkout into the server
// bundle: the migrations are read from disk at start-up, not bundled.
export async function readMigrations(migrationsDir = defaultMigrationsDir()): Promise<MigrationFile[]> {
  if (!existsSync(/*turbopackIgnore: true*/ migrationsDir)) {
    throw new MigrationError(`No migrations folder at ${migrationsDir}.`);
  }
  const entries = await readdir(/*turbopackIgnore: true*/ migrationsDir, { withFileTypes: true });
  const migrations: MigrationFile[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name, "en"))) {
    const file = path.join(migrationsDir, entry.name, "migration.sql");
    if (!existsSync(/*turbopackIgnore: true*/ file)) continue;
    const bytes = await readFile(/*turbopackIgnore: true*/ file);
    migrations.push({ name: entry.name, sql: bytes.toString("utf8"), checksum: migrationChecksum(bytes) });
  }
  return migrations;
}

/** One transaction's view of the database, whichever driver is underneath. */
interface MigrationSession {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a whole migration script (several statements, no parameters). */
  exec(sql: string): Promise<void>;
}

interface MigrationDriver {
  transaction<T>(work: (session: MigrationSession) => Promise<T>): Promise<T>;
}

function pgliteDriver(pglite: PGlite): MigrationDriver {
  return {
    transaction: (work) =>
      pglite.transaction((tx: PGliteTransaction) =>
        work({
          query: async <T>(sql: string, params?: unknown[]) => (await tx.query<T>(sql, params)).rows,
          exec: async (sql) => {
            await tx.exec(sql);
          },
        }),
      ),
  };
}

function prismaDriver(db: PrismaClient): MigrationDriver {
  return {
    transaction: (work) =>
      db.$transaction(
        (tx) =>
          work({
            query: <T>(sql: string, params: unknown[] = []) => tx.$queryRawUnsafe<T[]>(sql, ...params),
            // Without parameters @prisma/adapter-pg sends the simple query protocol, which accepts
            // a script of several statements.
            exec: async (sql) => {
              await tx.$executeRawUnsafe(sql);
            },
          }),
        // A migration may rewrite a big table; Prisma's 5 s default would abort it halfway.
        { maxWait: 60_000, timeout: 30 * 60_000 },
      ),
  };
}

async function lock(session: MigrationSession): Promise<void> {
  // Transaction-scoped, so a crash can never leave the lock held. Through Prisma this would be
  // $executeRaw (a `void` result breaks $queryRaw on PGlite); the session API returns rows as-is.
  await session.query(`SELECT pg_advisory_xact_lock(${PRISMA_ADVISORY_LOCK_KEY})::text`);
}

async function appliedRecords(session: MigrationSession): Promise<MigrationRecord[]> {
  return session.query<MigrationRecord>(
    `SELECT "id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count"
       FROM "_prisma_migrations" ORDER BY "started_at", "migration_name"`,
  );
}

function checkHistory(files: MigrationFile[], records: MigrationRecord[]): void {
  const byName = new Map(files.map((file) => [file.name, file]));
  for (const record of records) {
    if (record.rolled_back_at) continue;
    if (!record.finished_at) {
      throw new MigrationError(
        `Migration ${record.migration_name} started earlier but never finished (recorded in _prisma_migrations` +
          `${record.logs ? `: ${firstLine(record.logs)}` : ""}). Fix the database by hand, then mark it with ` +
          "`prisma migrate resolve --applied` or `--rolled-back` before migrating again.",
      );
    }
    const file = byName.get(record.migration_name);
    if (file && !checksumMatches(file, record.checksum)) {
      throw new MigrationError(
        `Migration ${record.migration_name} was already applied, but its migration.sql has changed since ` +
          `(applied checksum ${record.checksum.slice(0, 12)}…, file now ${file.checksum.slice(0, 12)}…). ` +
          "An applied migration must never be edited: restore the file from git and put the change in a new " +
          "migration (`npm run db:migration:new -- <name>`).",
      );
    }
  }
}

function checksumMatches(file: MigrationFile, recorded: string): boolean {
  if (file.checksum === recorded) return true;
  // Prisma also accepts a checkout whose line endings git converted (CRLF <-> LF).
  return migrationChecksum(file.sql.replace(/\r\n/g, "\n")) === recorded || migrationChecksum(file.sql.replace(/(?<!\r)\n/g, "\r\n")) === recorded;
}

function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .find((line) => line.trim())
      ?.trim()
      .slice(0, 200) ?? ""
  );
}

function isApplied(record: MigrationRecord): boolean {
  return record.finished_at !== null && record.rolled_back_at === null;
}

/**
 * Applies pending migrations in order, each in its own transaction holding Prisma's advisory lock,
 * and records each in `_prisma_migrations`. Refuses (changing nothing) when an applied migration's
 * file has changed or a failed migration is recorded. Safe to call at every start-up and from
 * several processes at once.
 */
export async function applyMigrations(target: PrismaClient | PGlite, options: ApplyMigrationsOptions = {}): Promise<ApplyMigrationsResult> {
  const files = await readMigrations(options.migrationsDir);
  const driver = await driverFor(target);
  const log = options.log ?? (() => undefined);

  const before = await driver.transaction(async (session) => {
    await lock(session);
    await session.exec(CREATE_MIGRATIONS_TABLE);
    const records = await appliedRecords(session);
    checkHistory(files, records);
    return records;
  });

  const alreadyApplied = new Set(before.filter(isApplied).map((record) => record.migration_name));
  const known = new Set(files.map((file) => file.name));
  const result: ApplyMigrationsResult = {
    applied: [],
    alreadyApplied: files.filter((file) => alreadyApplied.has(file.name)).map((file) => file.name),
    unknownInDatabase: [...alreadyApplied].filter((name) => !known.has(name)),
  };

  for (const file of files.filter((f) => !alreadyApplied.has(f.name))) {
    const appliedNow = await driver.transaction(async (session) => {
      await lock(session);
      // Another process may have applied it while we waited for the lock.
      const records = await appliedRecords(session);
      checkHistory(files, records);
      if (records.some((record) => record.migration_name === file.name && isApplied(record))) return false;

      log(`Applying migration ${file.name}`);
      const id = randomUUID();
      await session.query(
        `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "applied_steps_count")
         VALUES ($1, $2, $3, clock_timestamp(), 0)`,
        [id, file.checksum, file.name],
      );
      try {
        await session.exec(file.sql);
      } catch (error) {
        throw new MigrationError(`Migration ${file.name} failed and was rolled back, nothing of it is applied: ${messageOf(error)}`, { cause: error });
      }
      await session.query(`UPDATE "_prisma_migrations" SET "finished_at" = clock_timestamp(), "applied_steps_count" = 1 WHERE "id" = $1`, [id]);
      return true;
    });
    if (appliedNow) result.applied.push(file.name);
    else result.alreadyApplied.push(file.name);
  }
  return result;
}

/** The rows of `_prisma_migrations` (empty when the table does not exist yet). */
export async function listAppliedMigrations(target: PrismaClient | PGlite): Promise<MigrationRecord[]> {
  const driver = await driverFor(target);
  return driver.transaction(async (session) => {
    const [exists] = await session.query<{ present: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`);
    return exists?.present ? appliedRecords(session) : [];
  });
}

async function driverFor(target: PrismaClient | PGlite): Promise<MigrationDriver> {
  if (isPGlite(target)) return pgliteDriver(target);
  // PGlite through Prisma would prepare each script as one statement, which PostgreSQL refuses
  // for several commands, so PGlite-backed clients migrate through PGlite itself.
  const { pgliteOf } = await import("./connect");
  const pglite = pgliteOf(target);
  return pglite ? pgliteDriver(pglite) : prismaDriver(target);
}

function isPGlite(target: unknown): target is PGlite {
  return typeof (target as PGlite).exec === "function" && typeof (target as PGlite).transaction === "function";
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return firstLine(error.message) || error.name;
  return String(error);
}

import "server-only";

// Builds Prisma clients for either database the portal supports. App code reaches it only
// through server/db/client.ts; the CLI scripts (migrate, seed, registry import) call it directly.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";

import { AppError } from "../errors/app-error";
import { oncePerProcess } from "../process-singleton";
import { PrismaClient } from "./generated/client";

export type DatabaseTarget = { kind: "pglite"; dataDir: string; label: string } | { kind: "postgres"; url: string; label: string };

const IN_MEMORY = "memory://";

/**
 * Where a DATABASE_URL points. Unset => embedded PGlite in `defaultPgliteDir` (in memory when no
 * directory is given); `file:DIR` => PGlite in DIR; `memory://` => throw-away PGlite;
 * `postgres://` / `postgresql://` => PostgreSQL.
 */
export function resolveDatabaseTarget(url: string | undefined, defaultPgliteDir?: string): DatabaseTarget {
  const value = url?.trim();
  if (!value) {
    return defaultPgliteDir
      ? { kind: "pglite", dataDir: path.resolve(defaultPgliteDir), label: `PGlite at ${defaultPgliteDir}` }
      : { kind: "pglite", dataDir: IN_MEMORY, label: "in-memory PGlite" };
  }
  if (value.startsWith(IN_MEMORY)) return { kind: "pglite", dataDir: IN_MEMORY, label: "in-memory PGlite" };
  if (value.startsWith("file:")) {
    const dir = value.slice("file:".length).replace(/^\/\/(?=\/)/, "");
    if (!dir) throw new DatabaseConfigError("DATABASE_URL=file: needs a directory, e.g. file:./.data/pglite");
    return { kind: "pglite", dataDir: path.resolve(dir), label: `PGlite at ${dir}` };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    return { kind: "postgres", url: value, label: `PostgreSQL at ${hostOf(value)}` };
  }
  throw new DatabaseConfigError(`DATABASE_URL must be unset, file:DIR (embedded PGlite) or postgres://... (PostgreSQL); got "${redactUrl(value)}"`);
}

class DatabaseConfigError extends Error {
  override name = "DatabaseConfigError";
}

/** A database failure worded for a person; `cause` keeps the driver's error for logs. */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

interface OpenDatabase {
  pglite?: PGlite;
}

// A second copy of this module (Next loads some twice) must still find the PGlite under a client
// the first copy opened, or it would migrate through Prisma.
const openDatabases = oncePerProcess("fleetdeck.openDatabases", () => new WeakMap<PrismaClient, OpenDatabase>());

/**
 * The embedded database lives inside the portal's process, so its memory is the portal's. Postgres'
 * default 128 MB of shared buffers made PGlite about 270 MB of resident memory on its own; the
 * portal's data (users, the tenant registry, audit events) is a few MB, and 16 MB of buffers keeps
 * all of it cached at half the footprint. PGlite *replaces* the data dir's postgresql.conf with
 * this text on every open, so it repeats what initdb writes there (time zone, locale, WAL sizes)
 * and changes only shared_buffers.
 */
const PGLITE_SETTINGS = [
  "max_connections = 100",
  "shared_buffers = 16MB",
  "dynamic_shared_memory_type = posix",
  "max_wal_size = 1GB",
  "min_wal_size = 80MB",
  "log_timezone = UTC",
  "datestyle = 'iso, mdy'",
  "timezone = UTC",
  "lc_messages = C",
  "lc_monetary = C",
  "lc_numeric = C",
  "lc_time = C",
  "default_text_search_config = 'pg_catalog.english'",
];

/** A Prisma client for the target, without touching the database yet. */
export function openDb(target: DatabaseTarget): PrismaClient {
  if (target.kind === "pglite") {
    if (target.dataDir !== IN_MEMORY) mkdirSync(target.dataDir, { recursive: true });
    const pglite = new PGlite(target.dataDir, { postgresqlconf: PGLITE_SETTINGS });
    const db = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
    openDatabases.set(db, { pglite });
    return db;
  }
  const db = new PrismaClient({
    adapter: new PrismaPg({ connectionString: target.url, connectionTimeoutMillis: 5_000 }),
  });
  openDatabases.set(db, {});
  return db;
}

/** Lets a derived client (e.g. one made with $extends) be migrated and closed like its base. */
export function registerDb(derived: PrismaClient, base: PrismaClient): void {
  const open = openDatabases.get(base);
  if (open) openDatabases.set(derived, open);
}

/** The PGlite instance under a client made by openDb (undefined for PostgreSQL). */
export function pgliteOf(db: PrismaClient): PGlite | undefined {
  return openDatabases.get(db)?.pglite;
}

export async function closeDb(db: PrismaClient): Promise<void> {
  const open = openDatabases.get(db);
  openDatabases.delete(db);
  await db.$disconnect();
  if (open?.pglite && !open.pglite.closed) await open.pglite.close();
}

/**
 * Turns driver and Prisma errors about reaching the database into one readable sentence.
 * Returns the error unchanged when it is not about connectivity (a constraint violation is the
 * caller's business).
 */
export function describeDatabaseError(error: unknown, target?: DatabaseTarget): unknown {
  if (error instanceof DatabaseUnavailableError || error instanceof DatabaseConfigError) return error;
  const text = errorText(error);
  const where = target?.kind === "postgres" ? hostOf(target.url) : target?.label;
  const at = where ? ` at ${where}` : "";
  const reason = reasonOf(error);
  const wrap = (message: string) => new DatabaseUnavailableError(message, { cause: error });
  if (
    /\b(P1001|P1002|P1017|DatabaseNotReachable|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|EAI_AGAIN)\b|Can't reach database|timeout exceeded when trying to connect|Connection terminated/i.test(
      text,
    )
  ) {
    return wrap(`Cannot reach the database${at}: ${reason}. Is it running, and is DATABASE_URL right?`);
  }
  if (/\b(P1000|28P01|AuthenticationFailed)\b|password authentication failed|no pg_hba\.conf entry/i.test(text)) {
    return wrap(`The database${at} refused the credentials in DATABASE_URL: ${reason}`);
  }
  if (/\b(P1003|3D000|DatabaseDoesNotExist)\b|database "[^"]*" does not exist/i.test(text)) {
    return wrap(`The database named in DATABASE_URL does not exist${at}: ${reason}`);
  }
  // The zod schemas refuse NUL and control characters first; this catches an input that slipped
  // past them, which is the request's fault, not the server's.
  if (/\b(22021|22P05)\b|invalid byte sequence for encoding|unsupported Unicode escape sequence|untranslatable character/i.test(text)) {
    return new AppError("BAD_REQUEST", {
      message: `The database refused a text value: ${reason}`,
      userMessage: "Text cannot contain NUL or other control characters; remove them and try again.",
      cause: error,
    });
  }
  if (/\b(P2021|42P01|TableDoesNotExist)\b/.test(text)) {
    return wrap(`The database${at} has no Fleetdeck tables yet; run \`npm run db:migrate\` (${reason})`);
  }
  return error;
}

function errorText(error: unknown, depth = 0): string {
  if (depth > 4) return "";
  if (!(error instanceof Error)) return typeof error === "object" && error ? (JSON.stringify(error) ?? "") : String(error);
  const parts = [error.message];
  const { code, cause, meta, errors } = error as { code?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown }; errors?: unknown[] };
  if (typeof code === "string") parts.push(code);
  if (cause && cause !== error) parts.push(errorText(cause, depth + 1));
  if (meta?.driverAdapterError) parts.push(errorText(meta.driverAdapterError, depth + 1));
  for (const inner of errors ?? []) parts.push(errorText(inner, depth + 1));
  return parts.join("\n");
}

/** The sentence that says what went wrong: Prisma puts it after a code frame, drivers first. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const isPrismaFrame = lines[0]?.startsWith("Invalid `");
  const line = (isPrismaFrame ? lines.at(-1) : lines[0]) ?? message;
  // Raw queries wrap the driver's words: "Raw query failed. Code: `N/A`. Message: `...`".
  const inner = /Message: `([^`]*)`/.exec(line)?.[1];
  return (inner ?? line).replace(/\s+/g, " ").replace(/\.$/, "").slice(0, 300);
}

function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || "localhost"}:${parsed.port || "5432"}`;
  } catch {
    return "the configured host";
  }
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "****";
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:****@");
  }
}

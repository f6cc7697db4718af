// The PostgreSQL server of tests and benchmarks that need one (several portal processes share a
// database only there: PGlite belongs to one process), and a scratch database on it per run.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { repoRoot } from "./stack";

/**
 * TEST_DATABASE_URL when set, else the local server scripts/start-test-postgres.sh starts (it
 * installs Debian's package first when it may); when neither works, the script's own reason.
 */
export function testPostgres(env: NodeJS.ProcessEnv = process.env): { url: string } | { reason: string } {
  const given = env.TEST_DATABASE_URL?.trim();
  if (given) return { url: given };
  const started = spawnSync("bash", ["scripts/start-test-postgres.sh"], { cwd: repoRoot, env, encoding: "utf8" });
  const url = started.stdout?.trim().split("\n").pop();
  if (started.status === 0 && url?.startsWith("postgres")) return { url };
  return { reason: (started.stderr || started.stdout || `scripts/start-test-postgres.sh exited with ${started.status}`).trim() };
}

/** Runs one statement on the server `baseUrl` names (CREATE or DROP DATABASE), on a connection of its own. */
export async function onServer(baseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface ScratchDatabase {
  url: string;
  name: string;
  /** Drops it, closing the connections portals may still hold (WITH (FORCE)). */
  drop(): Promise<void>;
}

/** A fresh, empty database on the server `baseUrl` names, for one run (the role must be allowed CREATEDB). */
export async function createScratchDatabase(baseUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await onServer(baseUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => onServer(baseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

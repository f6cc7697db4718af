/**
 * Writes the SQL migration that brings prisma/migrations up to prisma/schema.prisma.
 *
 *   npm run db:migration:new -- add_tenant_notes     (writes prisma/migrations/<timestamp>_add_tenant_notes)
 *   npm run db:migration:new -- --print              (prints the pending SQL, writes nothing)
 *
 * Prisma 7's `migrate diff` needs a native schema engine that cannot be downloaded on our
 * machines. Prisma 6.19.3 can run its WebAssembly schema engine over a driver adapter instead, so
 * we run it through `npm exec` with a throw-away config whose adapter is an in-memory PGlite (the
 * engine replays the existing migrations into PGlite's shadow database and diffs that against the
 * schema). The SQL is what `prisma migrate dev` would write.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const PRISMA_MIGRATE_VERSION = "6.19.3";
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const schemaPath = path.join(repoRoot, "prisma", "schema.prisma");
const migrationsDir = path.join(repoRoot, "prisma", "migrations");

interface Options {
  name: string;
  /** Print the pending SQL instead of writing a migration folder. */
  print: boolean;
  schema: string;
  migrations: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { name: "", print: false, schema: schemaPath, migrations: migrationsDir };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--print") options.print = true;
    else if (arg === "--schema") options.schema = path.resolve(argv[++i] ?? "");
    else if (arg === "--migrations") options.migrations = path.resolve(argv[++i] ?? "");
    else if (arg === "--help" || arg === "-h") {
      console.log("usage: npm run db:migration:new -- <name> [--print] [--schema FILE] [--migrations DIR]");
      process.exit(0);
    } else if (!arg.startsWith("--")) options.name = arg;
    else throw new Error(`Unknown option ${arg}`);
  }
  options.name = options.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (!options.name && !options.print) {
    throw new Error("Give the migration a name, e.g. `npm run db:migration:new -- add_tenant_notes`.");
  }
  return options;
}

function moduleUrl(specifier: string): string {
  return pathToFileURL(createRequire(import.meta.url).resolve(specifier)).href;
}

async function hasMigrations(dir: string): Promise<boolean> {
  if (!existsSync(dir)) return false;
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.some((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")));
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(new Error(`${command} ${args.join(" ")} failed:\n${stderr || stdout}`), { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
  });
}

function withDatasourceUrl(schemaText: string): string {
  const datasource = /datasource\s+\w+\s*\{/;
  if (!datasource.test(schemaText)) throw new Error("prisma/schema.prisma has no datasource block.");
  return schemaText.replace(datasource, (block) => `${block}\n  url = env("FLEETDECK_MIGRATION_DIFF_URL")`);
}

/** Returns the SQL (possibly only a comment when nothing changed) from migrations to schema. */
async function diffMigrationsToSchema(options: { schema: string; migrations: string }): Promise<string> {
  const workDir = await mkdtemp(path.join(tmpdir(), "fleetdeck-migration-"));
  try {
    // Prisma 6 insists on a datasource url in the schema, which Prisma 7 forbids: diff a copy.
    const schemaCopy = path.join(workDir, "schema.prisma");
    const schemaText = await readFile(options.schema, "utf8");
    await writeFile(schemaCopy, withDatasourceUrl(schemaText));
    const configPath = path.join(workDir, "prisma.config.mjs");
    // pglite-prisma-adapter rather than @prisma/adapter-pg over pglite-socket: the engine reads
    // catalog columns of types "char" and "name", and neither adapter-pg 6.19 nor 7.10 decodes both.
    await writeFile(
      configPath,
      `import { PGlite } from ${JSON.stringify(moduleUrl("@electric-sql/pglite"))};
import { PrismaPGlite } from ${JSON.stringify(moduleUrl("pglite-prisma-adapter"))};

// The engine sends each migration file as one parameterless executeRaw; through pglite-prisma-adapter
// that becomes a prepared statement, which PostgreSQL refuses for several commands. PGlite's exec()
// runs it the way PostgreSQL's simple protocol (and so @prisma/adapter-pg) would.
function withScripts(connection, db) {
  return new Proxy(connection, {
    get(target, key) {
      if (key === "executeRaw") {
        return async (query) => {
          if (query.args.length > 0) return target.executeRaw(query);
          await db.exec(query.sql);
          return 0;
        };
      }
      const value = target[key];
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

async function open() {
  const db = new PGlite("memory://");
  return withScripts(await new PrismaPGlite(db).connect(), db);
}

export default {
  experimental: { adapter: true },
  engine: "js",
  schema: ${JSON.stringify(schemaCopy)},
  adapter: async () => ({
    provider: "postgres",
    adapterName: "pglite-prisma-adapter",
    connect: open,
    connectToShadowDb: open,
  }),
};
`,
    );
    const from = (await hasMigrations(options.migrations)) ? ["--from-migrations", options.migrations] : ["--from-empty"];
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const { stdout } = await run(
      npm,
      [
        "exec",
        "--yes",
        `--package=prisma@${PRISMA_MIGRATE_VERSION}`,
        "--",
        "prisma",
        "migrate",
        "diff",
        "--config",
        configPath,
        ...from,
        "--to-schema-datamodel",
        schemaCopy,
        "--script",
      ],
      {
        ...process.env,
        // Any existing file stops Prisma from downloading native engines; engine "js" never runs them.
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/false",
        PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? "/bin/false",
        CHECKPOINT_DISABLE: "1",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
        // Only satisfies the schema copy's env("..."); the adapter decides where Prisma connects.
        FLEETDECK_MIGRATION_DIFF_URL: "postgresql://unused@localhost/unused",
      },
    );
    return stdout;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function isEmptyMigration(sql: string): boolean {
  return sql
    .split("\n")
    .map((line) => line.trim())
    .every((line) => line === "" || line.startsWith("--"));
}

function timestamp(date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const sql = await diffMigrationsToSchema(options);
  if (options.print) {
    process.stdout.write(sql);
    return;
  }
  if (isEmptyMigration(sql)) {
    console.log("prisma/schema.prisma and prisma/migrations already agree; no migration written.");
    return;
  }
  const folder = path.join(options.migrations, `${timestamp()}_${options.name}`);
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, "migration.sql"), sql.endsWith("\n") ? sql : `${sql}\n`);
  const lockFile = path.join(options.migrations, "migration_lock.toml");
  if (!existsSync(lockFile)) {
    await writeFile(
      lockFile,
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
  }
  console.log(`Wrote ${path.relative(repoRoot, path.join(folder, "migration.sql"))}. Review it, then run \`npm run db:migrate\`.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

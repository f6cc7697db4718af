// Imports an instance-service export into the tenant registry:
//
//   npm run registry:import -- FILE [--cluster NAME] [--format csv|json] [--if-empty] [--actor EMAIL]
//
// The format follows the file extension unless --format says otherwise; the cluster defaults to
// FLEETDECK_CLUSTER_NAME. --if-empty imports only into an empty registry (the demo uses it so a
// second run keeps what the first one imported). Exit code 1 when the file has problems (nothing
// is written then), with one line per problem.
//
// With the embedded PGlite, run it while the portal is stopped: PGlite allows one process per
// data directory.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";

import { closeDb, describeDatabaseError, openDb, resolveDatabaseTarget } from "@/server/db/connect";
import { applyMigrations } from "@/server/db/migrate";
import { env } from "@/server/env";
import { importRegistry, type RegistryFormat } from "@/server/tenants/registry-import";

const USAGE = "usage: npm run registry:import -- FILE [--cluster NAME] [--format csv|json] [--if-empty] [--actor EMAIL]";

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      cluster: { type: "string" },
      format: { type: "string" },
      actor: { type: "string", default: "cli@fleetdeck.local" },
      "if-empty": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const file = positionals[0];
  const format = (values.format ?? path.extname(file).slice(1).toLowerCase()) as RegistryFormat;
  if (format !== "csv" && format !== "json") {
    console.error(`Cannot tell the format of ${file}: name it .csv or .json, or pass --format csv|json.`);
    return 2;
  }
  const cluster = values.cluster ?? env.FLEETDECK_CLUSTER_NAME;
  const text = await readFile(file, "utf8");

  const target = resolveDatabaseTarget(env.DATABASE_URL, env.PGLITE_DIR);
  const db = openDb(target);
  try {
    await applyMigrations(db);
    if (values["if-empty"]) {
      const existing = await db.tenant.count();
      if (existing > 0) {
        console.log(`Registry already holds ${existing} tenant(s); --if-empty leaves it as it is.`);
        return 0;
      }
    }
    const result = await importRegistry(db, text, format, { cluster, actor: { name: values.actor } });
    if (result.problems.length > 0) {
      console.error(`${file}: ${result.problems.length} problem(s); nothing was imported.`);
      for (const { row, field, problem } of result.problems) {
        console.error(`  ${row > 0 ? `row ${row}` : "file"}${field !== "file" ? `, ${field}` : ""}: ${problem}`);
      }
      return 1;
    }
    console.log(
      `Imported ${file} into cluster "${cluster}": ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged${result.onSwarm ? `, ${result.onSwarm} on Swarm now tracked as "On Swarm"` : ""}.`,
    );
    return 0;
  } catch (error) {
    throw describeDatabaseError(error, target);
  } finally {
    await closeDb(db);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`registry import failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

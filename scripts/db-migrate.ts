// npm run db:migrate — applies pending prisma/migrations to DATABASE_URL (unset or file:... =>
// the embedded PGlite under FLEETDECK_DATA_DIR). Exit code 1 with one readable line on failure.
import { closeDb, describeDatabaseError, openDb, redactUrl, resolveDatabaseTarget } from "@/server/db/connect";
import { applyMigrations } from "@/server/db/migrate";
import { env } from "@/server/env";

async function main(): Promise<void> {
  const target = resolveDatabaseTarget(env.DATABASE_URL, env.PGLITE_DIR);
  const db = openDb(target);
  try {
    const result = await applyMigrations(db, { log: (line) => console.log(line) });
    const where = target.kind === "postgres" ? redactUrl(target.url) : target.label;
    if (result.unknownInDatabase.length > 0) {
      console.warn(`Note: the database records migrations this checkout does not have: ${result.unknownInDatabase.join(", ")}`);
    }
    console.log(
      result.applied.length > 0
        ? `Applied ${result.applied.length} migration(s) to ${where}; ${result.alreadyApplied.length} were already applied.`
        : `${where} is up to date (${result.alreadyApplied.length} migration(s) applied).`,
    );
  } catch (error) {
    throw describeDatabaseError(error, target);
  } finally {
    await closeDb(db);
  }
}

main().catch((error: unknown) => {
  console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

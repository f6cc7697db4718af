// Makes the database ready for the portal: applies pending migrations, then creates the demo
// sign-ins and the migration checklist tasks that do not exist yet. `npm run demo` runs it before starting the portal.
import { closeDb, describeDatabaseError, openDb, resolveDatabaseTarget } from "@/server/db/connect";
import { applyMigrations } from "@/server/db/migrate";
import { seedDemoUsers } from "@/server/db/seed";
import { seedMigrationChecklist } from "@/server/migration/checklist/seed-checklist";
import { env } from "@/server/env";

async function main(): Promise<void> {
  const target = resolveDatabaseTarget(env.DATABASE_URL, env.PGLITE_DIR);
  const db = openDb(target);
  try {
    const migrations = await applyMigrations(db, { log: (line) => console.log(`[db] ${line}`) });
    console.log(`[db] ${target.label}: ${migrations.applied.length} migration(s) applied, ${migrations.alreadyApplied.length} already present`);
    const seeded = await seedDemoUsers(db);
    if (seeded.created.length > 0) console.log(`[db] created demo users: ${seeded.created.join(", ")}`);
    const checklist = await seedMigrationChecklist(db, { planStart: env.MIGRATION_PLAN_START });
    if (checklist.created.length > 0) console.log(`[db] seeded ${checklist.created.length} migration checklist task(s), plan start ${checklist.planStart}`);
  } catch (error) {
    throw describeDatabaseError(error, target);
  } finally {
    await closeDb(db);
  }
}

main().catch((error: unknown) => {
  console.error(`db:prepare failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

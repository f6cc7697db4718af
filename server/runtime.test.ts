import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";

// Each test gets a fresh runtime from freshly loaded modules.
afterEach(() => {
  delete (globalThis as unknown as Record<symbol, unknown>)[Symbol.for("fleetdeck.runtime")];
  vi.restoreAllMocks();
});

describe("runtime", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    vi.unstubAllEnvs();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("is one per process, with its database on PGlite under FLEETDECK_DATA_DIR when DATABASE_URL is unset, migrated once", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "fleetdeck-runtime-"));
    dirs.push(dataDir);
    vi.stubEnv("DATABASE_URL", "");
    vi.stubEnv("FLEETDECK_DATA_DIR", dataDir);
    vi.resetModules();
    const first = await import("./runtime");
    const db = first.runtime().db;
    // Next can evaluate this module twice in one process; the second copy must reuse the client.
    vi.resetModules();
    const second = await import("./runtime");
    expect(second).not.toBe(first);
    expect(second.runtime().db).toBe(db);
    const [once, again] = await Promise.all([first.runtime().migrateDb(), second.runtime().migrateDb()]);
    expect(once).toBe(again);
    // PGlite keeps its cluster under FLEETDECK_DATA_DIR/pglite.
    expect(existsSync(path.join(dataDir, "pglite", "PG_VERSION"))).toBe(true);
    // No demo users on a production start, but the migration checklist is seeded, once.
    expect(await db.user.count()).toBe(0);
    const { CHECKLIST_SEED_TASKS } = await import("./migration/checklist/checklist-seed-data");
    expect(await db.migrationTask.count()).toBe(CHECKLIST_SEED_TASKS.length);
    expect(await db.auditEvent.count({ where: { action: "migration.checklist-seed" } })).toBe(1);
    await first.runtime().stop();
    // A new on-disk PGlite runs initdb: seconds alone, much longer next to other suites on 2 cores.
  }, 120_000);

  it("refreshes nothing and starts no watch when the registry changes in a process that never served tenants", async () => {
    vi.stubEnv("DATABASE_URL", "memory://");
    vi.resetModules();
    const { ClusterCache } = await import("./kube/cluster-cache");
    const start = vi.spyOn(ClusterCache.prototype, "start").mockImplementation(() => undefined);
    const { runtime } = await import("./runtime");
    await runtime().invalidateRegistry();
    expect(start).not.toHaveBeenCalled();
  });
});

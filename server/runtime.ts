import "server-only";

import { LiveSessions } from "@/server/auth/live-sessions";
import { SignInThrottle } from "@/server/auth/sign-in-throttle";
import { migratePortalDb, openPortalDb, type PortalDatabase, type PrismaClient } from "@/server/db/client";
import { closeDb } from "@/server/db/connect";
import type { ApplyMigrationsResult } from "@/server/db/migrate";
import { env } from "@/server/env";
import { configuredClusters, kubeSettings } from "@/server/kube/client";
import { ClusterCache } from "@/server/kube/cluster-cache";
import type { ClusterSource } from "@/server/kube/cluster-source";
import { ClusterSources } from "@/server/kube/cluster-sources";
import { LogHub } from "@/server/logs/log-hub";
import { createGateMonitor, type GateMonitor } from "@/server/migration/gates/gate-monitor";
import { containerLogSource } from "@/server/logs/upstream-stream";
import { seedMigrationChecklist } from "@/server/migration/checklist/seed-checklist";
import { loadTenantMigrationStates, onTenantMigrationWrite } from "@/server/migration/tenant-migration";
import { oncePerProcess } from "@/server/process-singleton";
import { WaveDriver } from "@/server/migration/waves/wave-driver";
import { WaveService } from "@/server/migration/waves/wave-service";
import { RunbookBatchDriver } from "@/server/runbooks/batches/batch-driver";
import { RunbookBatchService } from "@/server/runbooks/batches/batch-service";
import { RunbookEngine } from "@/server/runbooks/engine/engine";
import { quantityBytes } from "@/server/runbooks/quantity";
import { registryFingerprint } from "@/server/tenants/registry";
import { loadRegistryRecords } from "@/server/tenants/tenant-service";
import { TenantDirectory } from "@/server/tenants/tenant-view";

/**
 * The one place that creates the process-wide objects: the database, the cluster sources with
 * their watches, the tenant directory, the log hubs, the live-session cache and the sign-in throttle. Each is made on
 * first use, so a process starts only what it uses (an import CLI that never serves tenants opens
 * no watch). Domain code never reaches in here: routers, route handlers and the start-up hook
 * hand these objects to it.
 */
class Runtime {
  private database: PortalDatabase | undefined;
  private migration: Promise<ApplyMigrationsResult> | undefined;
  private caches: ClusterCache[] | undefined;
  private clusterSources: ClusterSources | undefined;
  private directory: TenantDirectory | undefined;
  private stopMigrationWrites: (() => void) | undefined;
  private readonly logHubs = new Map<string, LogHub>();
  private engine: RunbookEngine | undefined;
  private waveService: WaveService | undefined;
  private waveDriver: WaveDriver | undefined;
  private batchService: RunbookBatchService | undefined;
  private batchDriver: RunbookBatchDriver | undefined;
  private gateMonitor: GateMonitor | undefined;
  readonly liveSessions = new LiveSessions();
  readonly signInThrottle = new SignInThrottle();

  get db(): PrismaClient {
    return this.openDatabase().db;
  }

  /**
   * Applies pending migrations once per process, for the start-up hook (instrumentation.ts), so a
   * deployment on PostgreSQL migrates itself the way `npm run demo` does through
   * scripts/db-prepare.ts, then seeds the migration checklist's missing tasks. Safe next to other
   * replicas (advisory lock, seeding by unique seedKey); after a failure the next call tries again.
   */
  migrateDb(): Promise<ApplyMigrationsResult> {
    this.migration ??= migratePortalDb(this.openDatabase())
      .then(async (result) => {
        // The migration checklist is product data, not demo data: a fresh production database gets it too.
        await seedMigrationChecklist(this.db, { planStart: env.MIGRATION_PLAN_START }).catch((error: unknown) =>
          console.error("[fleetdeck] seeding the migration checklist failed:", error),
        );
        return result;
      })
      .catch((error: unknown) => {
        this.migration = undefined;
        throw error;
      });
    return this.migration;
  }

  /** The configured clusters, each a watch-fed cache started on first use. */
  get clusters(): ClusterSources {
    if (!this.clusterSources) {
      const settings = kubeSettings();
      const caches = configuredClusters().map((connection) => new ClusterCache({ ...connection, settings }));
      for (const cache of caches) cache.start();
      this.caches = caches;
      this.clusterSources = new ClusterSources(caches);
    }
    return this.clusterSources;
  }

  /** Every registry tenant joined with the configured cluster its row names, kept current from first use. */
  get tenants(): TenantDirectory {
    if (!this.directory) {
      const directory = new TenantDirectory({
        clusters: this.clusters.all(),
        loadRegistry: () => loadRegistryRecords(this.db),
        // Only PostgreSQL is shared with other processes (replicas, the import CLI); PGlite is this one's.
        registryVersion: this.openDatabase().target.kind === "postgres" ? () => registryFingerprint(this.db) : undefined,
        loadMigrationStates: () => loadTenantMigrationStates(this.db),
      });
      // transitionTenant (and the import) tell this process's directory as they write.
      this.stopMigrationWrites = onTenantMigrationWrite((changes) => directory.migrationStatesWritten(changes));
      directory.start();
      this.directory = directory;
    }
    return this.directory;
  }

  /**
   * The runbook engine: runs are rows in the database, so any process may show them; this one
   * executes the runs it confirms and takes over those a stopped process left (the sweep).
   */
  get runbooks(): RunbookEngine {
    if (!this.engine) {
      const engine = new RunbookEngine({
        db: this.db,
        tenantRecord: async (tenantId) => {
          await this.tenants.ready({ warmTimeoutMs: 5_000 });
          return this.tenants.record(tenantId);
        },
        clusterFor: (record) => this.clusters.forTenant(record),
        settings: { maxVolumeSize: env.RUNBOOK_MAX_VOLUME_SIZE, backupCronJobName: env.BACKUP_CRONJOB_NAME },
      });
      engine.start();
      this.engine = engine;
    }
    return this.engine;
  }

  /** Migration waves: created and steered by people, their cluster steps run by the driver below. */
  get waves(): WaveService {
    this.waveService ??= new WaveService({
      db: this.db,
      fleet: {
        summaries: () => this.tenants.summaries(),
        summary: (tenantId) => this.tenants.summary(tenantId),
        largestVolumeBytes: (tenantId) => {
          // A tenant of a cluster the portal does not read has no volumes it could see.
          const cluster = this.tenants.clusterOf(tenantId);
          if (!cluster) return undefined;
          const sizes = cluster.listForTenant("persistentvolumeclaims", tenantId).map((pvc) => quantityBytes(pvc.spec.requestedStorage) ?? 0);
          return sizes.length > 0 ? Math.max(...sizes) : undefined;
        },
      },
    });
    return this.waveService;
  }

  /** Runs the waves' steps; every process runs one, and a lease in the database gives each wave one driver at a time. */
  get wavesDriver(): WaveDriver {
    this.waveDriver ??= new WaveDriver({ db: this.db, runbooks: this.runbooks, waves: this.waves });
    return this.waveDriver;
  }

  /** Runs over a selection of tenants (the tenants list's "Run over selection"). */
  get runbookBatches(): RunbookBatchService {
    this.batchService ??= new RunbookBatchService({
      db: this.db,
      summaries: async () => {
        await this.tenants.ready({ warmTimeoutMs: 5_000 });
        return this.tenants.summaries();
      },
      assess: (user, request, tenantIds, source) => this.runbooks.assess(user, request, tenantIds, source),
      approvalSize: env.RUNBOOK_BATCH_APPROVAL_SIZE,
    });
    return this.batchService;
  }

  /** Starts and follows the selections' runs; a lease in the database gives each batch one driver at a time. */
  get runbookBatchesDriver(): RunbookBatchDriver {
    this.batchDriver ??= new RunbookBatchDriver({ db: this.db, runbooks: this.runbooks });
    return this.batchDriver;
  }

  /** The migration gates over every cluster's tenants, evaluated continuously from first use. */
  get gates(): GateMonitor {
    if (!this.gateMonitor) {
      const monitor = createGateMonitor(this.tenants, this.db);
      monitor.start();
      this.gateMonitor = monitor;
    }
    return this.gateMonitor;
  }

  /**
   * The hub holding `cluster`'s log streams, one per cluster (a ContainerRef names no cluster).
   * Each caps its own follows at LOG_MAX_UPSTREAM_STREAMS.
   */
  logHub(cluster: ClusterSource): LogHub {
    let hub = this.logHubs.get(cluster.name);
    if (!hub) {
      hub = new LogHub({ maxUpstreams: env.LOG_MAX_UPSTREAM_STREAMS, source: containerLogSource(cluster) });
      this.logHubs.set(cluster.name, hub);
    }
    return hub;
  }

  /** Live log streams held open to each cluster (for /metrics); only clusters whose logs were read have a hub. */
  logStreamsOpen(): { cluster: string; open: number }[] {
    return [...this.logHubs.entries()].map(([cluster, hub]) => ({ cluster, open: hub.upstreamCount }));
  }

  /**
   * Call after the registry changed (an import) so the next read sees it. A process that never
   * served tenants (an import CLI) has no directory: nothing to refresh, and no watches to start.
   */
  async invalidateRegistry(): Promise<void> {
    await this.directory?.invalidateRegistry();
  }

  /** Starts the tenant directory and the watches under it now, so the first page view finds them warm. */
  start(): void {
    this.tenants.start();
    // Resumes (or closes) runs a stopped process left behind.
    void this.runbooks;
    // Carries on the waves' running steps (a lease in the database gives each wave one driver).
    this.wavesDriver.start();
    this.runbookBatchesDriver.start();
  }

  /**
   * For a draining process: the runbook verifications running here go back to the database for
   * another replica's sweep (RunbookEngine.handBack), and the wave and selection drivers stop, so
   * their leases lapse. Resolves to the number of runs handed back.
   */
  async handBackWork(): Promise<number> {
    const handedBack = this.engine ? await this.engine.handBack() : 0;
    await this.waveDriver?.stop();
    await this.batchDriver?.stop();
    return handedBack;
  }

  /**
   * Closes what was opened (log hubs, directory, watches, database) and forgets it, so a later
   * use starts afresh; for benches and tests that end with the process still running.
   */
  async stop(): Promise<void> {
    await this.waveDriver?.stop();
    this.waveDriver = undefined;
    await this.batchDriver?.stop();
    this.batchDriver = undefined;
    this.batchService = undefined;
    this.waveService = undefined;
    this.gateMonitor?.stop();
    this.gateMonitor = undefined;
    this.engine?.dispose();
    this.engine = undefined;
    for (const hub of this.logHubs.values()) hub.close();
    this.logHubs.clear();
    this.stopMigrationWrites?.();
    this.stopMigrationWrites = undefined;
    this.directory?.stop();
    this.directory = undefined;
    const caches = this.caches ?? [];
    this.caches = undefined;
    this.clusterSources = undefined;
    await Promise.all(caches.map((cache) => cache.stop()));
    const database = this.database;
    this.database = undefined;
    this.migration = undefined;
    if (database) await closeDb(database.db);
  }

  private openDatabase(): PortalDatabase {
    this.database ??= openPortalDb();
    return this.database;
  }
}

/** This process's runtime; the same object from every bundle Next evaluates this module in. */
export function runtime(): Runtime {
  return oncePerProcess("fleetdeck.runtime", () => new Runtime());
}

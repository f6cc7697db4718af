// The processes a benchmark measures, started through scripts/lib/stack.ts in a data dir of their
// own and always stopped again: after the run, when it breaks, and on SIGINT/SIGTERM, including
// any grandchild a stopped parent left behind.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  freePort,
  prepareDatabase,
  repoRoot,
  runScript,
  startPortal,
  startPortalReplicas,
  startSimulator,
  type Portal,
  type Simulator,
  type SimulatorOptions,
} from "../../scripts/lib/stack";
import { DEMO_PASSWORD } from "../../server/auth/demo-accounts";
import { PortalClient } from "../../scripts/lib/portal-client";
import { killLeftovers, TreeMemorySampler } from "./process-memory";

const DEMO_ADMIN_EMAIL = "admin@fleetdeck.local";

/** A row of the simulator's registry export, as far as the benchmarks read it. */
export interface RegistryRow {
  id: string;
  database_name: string;
}

export interface BenchStackOptions {
  /** The data dir is `.data/<dataDirPrefix>-<pid>`, so runs side by side do not share one. */
  dataDirPrefix: string;
  /** Prefix of the stack's own messages, e.g. "[bench]". */
  logPrefix: string;
  /** Leave the data dir behind for a look at the database afterwards. */
  keepData?: boolean;
  /** Pass the simulator's and the portal's output through. */
  verbose?: boolean;
}

export type BenchSimulatorOptions = Omit<SimulatorOptions, "dataDir" | "quiet"> & {
  /** Sample the simulator's process tree for memory (and for clean-up) at this interval. */
  sampleMemoryEveryMs?: number;
};

/** One of several clusters: a simulator of its own, named as the portal's configuration and the registry name it. */
export interface BenchCluster {
  name: string;
  sim: Simulator;
  sampler: TreeMemorySampler;
}

export class BenchStack {
  readonly dataDir: string;
  sim: Simulator | undefined;
  portal: Portal | undefined;
  simSampler: TreeMemorySampler | undefined;
  portalSampler: TreeMemorySampler | undefined;
  /** Portal processes on one PostgreSQL (startReplicas), each sampled like `portal`. */
  readonly replicas: { portal: Portal; sampler: TreeMemorySampler }[] = [];
  /** The simulators of a several-cluster stack (startClusters), in order. */
  readonly clusters: BenchCluster[] = [];
  /** Run first on stop, in order: subscriptions and servers the benchmark opened on the stack. */
  readonly closers: (() => void)[] = [];
  /** Run last on stop, once every process is gone: e.g. dropping a scratch database they used. */
  readonly finalizers: (() => Promise<void>)[] = [];
  private portalEnv: NodeJS.ProcessEnv | undefined;
  private stopped: Promise<void> | undefined;

  constructor(private readonly options: BenchStackOptions) {
    this.dataDir = join(repoRoot, ".data", `${options.dataDirPrefix}-${process.pid}`);
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => {
        if (this.stopped) return;
        console.error(
          `\n${options.logPrefix} ${signal}: stopping ${this.portal || this.replicas.length > 0 ? "the portal and the simulator" : "the simulator"}…`,
        );
        void this.stop().finally(() => process.exit(130));
      });
    }
  }

  /** Starts the simulator in a fresh data dir. */
  async startSimulator({ sampleMemoryEveryMs, ...options }: BenchSimulatorOptions): Promise<Simulator> {
    rmSync(this.dataDir, { recursive: true, force: true });
    mkdirSync(this.dataDir, { recursive: true });
    this.sim = await startSimulator({ ...options, dataDir: this.dataDir, quiet: !this.options.verbose });
    if (sampleMemoryEveryMs !== undefined) this.simSampler = new TreeMemorySampler(this.sim.process.pid!, sampleMemoryEveryMs).start();
    return this.sim;
  }

  /**
   * One simulator per cluster, side by side, each in `<dataDir>/<name>`, their kubeconfigs copied
   * into `<dataDir>/clusters/<name>.yaml`: the directory the portal reads as FLEETDECK_KUBECONFIG_DIR.
   */
  async startClusters(clusters: (Omit<BenchSimulatorOptions, "sampleMemoryEveryMs"> & { name: string })[]): Promise<BenchCluster[]> {
    rmSync(this.dataDir, { recursive: true, force: true });
    mkdirSync(join(this.dataDir, "clusters"), { recursive: true });
    const started = await Promise.all(
      clusters.map(async ({ name, ...options }) => {
        const sim = await startSimulator({ ...options, dataDir: join(this.dataDir, name), quiet: !this.options.verbose });
        copyFileSync(sim.kubeconfig, join(this.dataDir, "clusters", `${name}.yaml`));
        return { name, sim, sampler: new TreeMemorySampler(sim.process.pid!, 1000).start() };
      }),
    );
    this.clusters.push(...started);
    return started;
  }

  /**
   * Migrations and demo users, then each cluster's registry export imported under its name; the
   * portal is configured with the kubeconfig directory. Database names are one namespace across
   * the registry, while two simulated fleets draw theirs independently: a later cluster's row whose
   * name an earlier one took gets its cluster's name appended (the portal joins by instance id).
   */
  async prepareClusterDatabase(): Promise<RegistryRow[]> {
    if (this.clusters.length === 0) throw new Error("start the clusters first");
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FLEETDECK_DATA_DIR: this.dataDir,
      FLEETDECK_KUBECONFIG_DIR: join(this.dataDir, "clusters"),
      FLEETDECK_DEMO: "1",
    };
    delete env.DATABASE_URL;
    delete env.NEXTAUTH_URL;
    delete env.KUBECONFIG;
    delete env.FLEETDECK_CLUSTERS;
    delete env.FLEETDECK_CLUSTER_NAME;
    await prepareDatabase(env);
    const taken = new Set<string>();
    const all: RegistryRow[] = [];
    for (const { name, sim } of this.clusters) {
      const rows = ((await sim.control("GET", "/_sim/registry")) as RegistryRow[]).map((row) => {
        const databaseName = taken.has(row.database_name) ? `${row.database_name}-${name}` : row.database_name;
        taken.add(databaseName);
        return { ...row, database_name: databaseName };
      });
      const file = join(this.dataDir, `registry-${name}.json`);
      writeFileSync(file, JSON.stringify(rows));
      runScript("scripts/registry-import.ts", [file, "--cluster", name], env);
      all.push(...rows);
    }
    this.portalEnv = env;
    return all;
  }

  /**
   * Migrations, demo users and the simulator's registry in an embedded database in the data dir,
   * or in the PostgreSQL database `shared` names (for replicas: one database and one session
   * secret for every portal process).
   */
  async prepareDatabase(shared?: { databaseUrl: string; nextauthSecret: string }): Promise<void> {
    const sim = this.requireSimulator();
    const env: NodeJS.ProcessEnv = { ...process.env, FLEETDECK_DATA_DIR: this.dataDir, KUBECONFIG: sim.kubeconfig, FLEETDECK_DEMO: "1" };
    // The benchmark's own database and URL, whatever the caller's shell points at.
    delete env.DATABASE_URL;
    delete env.NEXTAUTH_URL;
    if (shared) {
      env.DATABASE_URL = shared.databaseUrl;
      env.NEXTAUTH_SECRET = shared.nextauthSecret;
    }
    await prepareDatabase(env, sim);
    this.portalEnv = env;
  }

  /** `next start` on a free loopback port against the prepared database; its tree is sampled every 250 ms. */
  async startPortal(): Promise<Portal> {
    if (!this.portalEnv) throw new Error("prepare the database before starting the portal");
    this.portal = await startPortal(this.portalEnv, await freePort(), "127.0.0.1", { quiet: !this.options.verbose });
    this.portalSampler = new TreeMemorySampler(this.portal.process.pid!, 250).start();
    return this.portal;
  }

  /** `count` portal processes at once on the prepared PostgreSQL database, each with a data dir of its own. */
  async startReplicas(count: number): Promise<Portal[]> {
    if (!this.portalEnv?.DATABASE_URL) throw new Error("prepare a PostgreSQL database (prepareDatabase({ databaseUrl, … })) before starting replicas");
    const portals = await startPortalReplicas(this.portalEnv, count, {
      envOf: (index) => ({ FLEETDECK_DATA_DIR: join(this.dataDir, `replica-${index}`) }),
      // Each replica's log is kept in the data dir (see --keep-data): the errors under load are there.
      outputOf: (index) => ({ quiet: !this.options.verbose, logFile: join(this.dataDir, `replica-${index}.log`) }),
    });
    for (const portal of portals) this.replicas.push({ portal, sampler: new TreeMemorySampler(portal.process.pid!, 250).start() });
    return portals;
  }

  /** A client of the running portal (or of the first replica), signed in as the demo admin. */
  async signIn(portal = this.portal ?? this.replicas[0]?.portal): Promise<PortalClient> {
    if (!portal) throw new Error("start the portal before signing in");
    const client = new PortalClient(portal.url);
    await client.signIn(DEMO_ADMIN_EMAIL, DEMO_PASSWORD);
    return client;
  }

  async registry(): Promise<RegistryRow[]> {
    return (await this.requireSimulator().control("GET", "/_sim/registry")) as RegistryRow[];
  }

  /** Stops everything once; later calls (the signal handler, a finally block) wait for the same stop. */
  stop(): Promise<void> {
    this.stopped ??= this.stopAll();
    return this.stopped;
  }

  private async stopAll(): Promise<void> {
    for (const close of this.closers.splice(0)) close();
    const samplers = [
      this.portalSampler,
      this.simSampler,
      ...this.replicas.map((replica) => replica.sampler),
      ...this.clusters.map((cluster) => cluster.sampler),
    ];
    for (const sampler of samplers) sampler?.stop();
    await this.portal?.stop().catch(() => undefined);
    await Promise.all(this.replicas.map((replica) => replica.portal.stop().catch(() => undefined)));
    await this.sim?.stop().catch(() => undefined);
    await Promise.all(this.clusters.map((cluster) => cluster.sim.stop().catch(() => undefined)));
    for (const sampler of samplers) if (sampler) killLeftovers(sampler.seenPids);
    for (const finalize of this.finalizers.splice(0))
      await finalize().catch((error: unknown) => console.error(`${this.options.logPrefix} clean-up failed: ${error}`));
    if (!this.options.keepData) rmSync(this.dataDir, { recursive: true, force: true });
  }

  private requireSimulator(): Simulator {
    if (!this.sim) throw new Error("start the simulator first");
    return this.sim;
  }
}

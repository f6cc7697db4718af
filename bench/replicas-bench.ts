// `npm run bench:replicas`: two portal replicas behind a small loopback proxy against one (issue 15,
// "Numbers"). Starts the simulator (10,000 tenants, scenario "scale"), a scratch database on the test
// PostgreSQL (scripts/start-test-postgres.sh, or TEST_DATABASE_URL) with the registry imported, and
// two `next start` processes on it; then, in paired rounds, the same load through a round-robin
// proxy (bench/support/round-robin-proxy.ts, a process of its own) in front of one replica and in
// front of both. Judged: the two-replica throughput over the one-replica throughput (≥ 1.7×) and
// no errors; printed with it, the CPU each process used, since two shared cores bound the ratio.
// Writes bench/results/replicas-<timestamp>.json + replicas-latest.json.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { DEFAULT_TENANT_LIST_PARAMS } from "../components/tenants/tenant-list-params";
import type { FleetSummary } from "../lib/tenants/types";
import { PortalClient } from "../scripts/lib/portal-client";
import { buildPortalIfStale, type Portal } from "../scripts/lib/stack";
import { createScratchDatabase, testPostgres } from "../scripts/lib/test-postgres";
import { BenchStack } from "./support/bench-stack";
import { runLoad, type LoadResult } from "./support/http-load";
import { cpuSecondsBetween, cpuSecondsOfCommands, machineBusyCpuSeconds, postgresBackendsOf, treeCpuSeconds } from "./support/process-memory";
import { atLeast, info, machineLoad, printTable, sleep, writeResults, type MetricRow } from "./support/report";
import { startRoundRobinProxy, type RoundRobinProxy } from "./support/round-robin-proxy";

const { values: flags } = parseArgs({
  options: {
    tenants: { type: "string", default: "10000" },
    scenario: { type: "string", default: "scale" },
    seed: { type: "string", default: "1" },
    connections: { type: "string", default: "50" },
    duration: { type: "string", default: "10" },
    // Paired rounds (one replica, then two, alternating which goes first); the median ratio is judged.
    rounds: { type: "string", default: "3" },
    "keep-data": { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
  },
});

const TARGETS = { throughputRatio: 1.7, errors: 0 };
const log = (message: string) => console.log(`[bench] ${message}`);

/** CPU seconds of each part of the run, and of the whole machine (other people's work included). */
interface CpuReading {
  replicas: number[];
  proxy: number;
  loadGenerator: number;
  simulator: number;
  /** The backends serving the scratch database, by pid (the server is shared with other work). */
  postgres: Map<number, number>;
  machine: number;
}

type CpuSpent = Omit<CpuReading, "postgres"> & { postgres: number };

interface Run {
  endpoint: string;
  replicas: 1 | 2;
  round: number;
  load: LoadResult;
  /** CPU seconds used during the run, per part. */
  cpu: CpuSpent;
  /** Requests each replica got from the proxy during the run. */
  perReplica: number[];
}

async function main(): Promise<number> {
  const connections = Number(flags.connections);
  const durationSeconds = Number(flags.duration);
  const rounds = Number(flags.rounds);
  const problems: string[] = [];
  const result: Record<string, unknown> = {
    kind: "replicas-bench",
    at: new Date().toISOString(),
    options: { tenants: Number(flags.tenants), scenario: flags.scenario, connections, durationSeconds, rounds },
    targets: TARGETS,
    machine: { start: machineLoad() },
  };
  const stack = new BenchStack({ dataDirPrefix: "bench-replicas", logPrefix: "[bench]", keepData: flags["keep-data"], verbose: flags.verbose });
  try {
    const postgres = testPostgres();
    if (!("url" in postgres)) throw new Error(`replicas share a PostgreSQL database and none is available: ${postgres.reason}`);
    log(`starting the simulator: ${flags.tenants} tenants, scenario ${flags.scenario}`);
    const sim = await stack.startSimulator({ tenants: Number(flags.tenants), scenario: flags.scenario, seed: Number(flags.seed) });
    const database = await createScratchDatabase(postgres.url, "fleetdeck_bench_replicas");
    stack.finalizers.push(database.drop);
    await stack.prepareDatabase({ databaseUrl: database.url, nextauthSecret: randomBytes(32).toString("base64url") });
    const registry = await stack.registry();
    if (!flags["no-build"]) buildPortalIfStale();
    const startedAt = performance.now();
    const replicas = await stack.startReplicas(2);
    const admin = await stack.signIn(replicas[0]);
    const clients = replicas.map((portal) => sameBrowser(admin, portal));
    await Promise.all(clients.map((client) => warm(client, registry.length)));
    const warmMs = performance.now() - startedAt;
    log(`both replicas warm ${(warmMs / 1000).toFixed(1)} s after they were started`);

    const proxies = { 1: await startRoundRobinProxy([replicas[0].url]), 2: await startRoundRobinProxy(replicas.map((portal) => portal.url)) };
    for (const proxy of Object.values(proxies)) stack.closers.push(proxy.stop);

    const endpoints = [
      { name: "tenants.list page 1", path: (base: string) => new PortalClient(base).trpcUrl("tenants.list", DEFAULT_TENANT_LIST_PARAMS), judged: true },
      { name: "/api/health", path: (base: string) => `${base}/api/health`, judged: false },
    ];
    // Each endpoint answers through both proxies before it is loaded: latencies of errors mean nothing.
    for (const endpoint of endpoints)
      for (const proxy of Object.values(proxies)) {
        const response = await fetch(endpoint.path(proxy.url), { headers: { cookie: admin.cookieHeader } });
        if (!response.ok) throw new Error(`${endpoint.name} through the proxy → ${response.status}: ${(await response.text()).slice(0, 300)}`);
      }

    const runs: Run[] = [];
    for (const endpoint of endpoints) {
      for (let round = 0; round < rounds; round++) {
        // Which goes first alternates, so a machine that grows busier over a round favours neither.
        const order: (1 | 2)[] = round % 2 === 0 ? [1, 2] : [2, 1];
        for (const count of order) {
          const run = await measuredRun(endpoint.name, endpoint.path(proxies[count].url), admin.cookieHeader, count, round, proxies[count], replicas, {
            simPid: sim.process.pid!,
            postgres: postgresBackendsOf(database.name),
          });
          runs.push(run);
          log(
            `${endpoint.name}, ${count} replica${count === 1 ? "" : "s"}, round ${round + 1}: ${run.load.requestsPerSecond.toFixed(0)} req/s, p95 ${run.load.latencyMs.p95} ms` +
              (run.load.non2xx || run.load.errors ? ` (${run.load.non2xx} non-2xx, ${run.load.errors} errors)` : ""),
          );
          await sleep(1000);
        }
      }
    }
    result.runs = runs;
    result.stack = { warmMs, replicas: replicas.map((portal) => portal.url), registryRows: registry.length };
    (result.machine as Record<string, unknown>).end = machineLoad();

    const rows: MetricRow[] = [];
    for (const endpoint of endpoints) {
      const ratios = Array.from({ length: rounds }, (_, round) => {
        const one = runs.find((run) => run.endpoint === endpoint.name && run.round === round && run.replicas === 1)!;
        const two = runs.find((run) => run.endpoint === endpoint.name && run.round === round && run.replicas === 2)!;
        return { one, two, ratio: two.load.requestsPerSecond / one.load.requestsPerSecond };
      });
      const median = [...ratios].sort((x, y) => x.ratio - y.ratio)[Math.floor(ratios.length / 2)];
      const label = `${endpoint.name}: 2 replicas / 1 replica throughput (${connections} conns, both behind the proxy, median of ${rounds} rounds)`;
      rows.push(
        endpoint.judged
          ? atLeast(label, median.ratio, TARGETS.throughputRatio, "×", 2)
          : info(label, `${median.ratio.toFixed(2)}× (the framework's own floor)`),
        info(
          "  req/s per round, 1 → 2 replicas",
          ratios.map((entry) => `${entry.one.load.requestsPerSecond.toFixed(0)} → ${entry.two.load.requestsPerSecond.toFixed(0)}`).join(", "),
        ),
        info("  p95, 1 / 2 replicas (median round)", `${median.one.load.latencyMs.p95.toFixed(0)} / ${median.two.load.latencyMs.p95.toFixed(0)} ms`),
        info("  requests per replica (2-replica runs)", shares(runs.filter((run) => run.endpoint === endpoint.name && run.replicas === 2))),
        info("  CPU, cores busy during the median round's 1-replica run", cpuProfile(median.one)),
        info("  CPU, cores busy during the median round's 2-replica run", cpuProfile(median.two)),
        info("  portal CPU per request, 1 / 2 replicas", `${portalMsPerRequest(median.one).toFixed(2)} / ${portalMsPerRequest(median.two).toFixed(2)} ms`),
      );
      if (endpoint.judged) rows.push(info("  ceiling on this machine", ceiling(median.one, median.two)));
    }
    const errors = runs.reduce((sum, run) => sum + run.load.errors + run.load.non2xx + run.load.timeouts, 0);
    rows.push(
      {
        metric: "errors, timeouts and non-2xx answers over every run",
        value: String(errors),
        target: "0",
        verdict: errors === TARGETS.errors ? "PASS" : "FAIL",
      },
      info("both replicas warm (start → every watch synced on each)", `${(warmMs / 1000).toFixed(1)} s, ${registry.length} tenants`),
      info(
        "machine load average (1/5/15 min) start → end",
        `${(result.machine as { start: { loadAverage: number[] } }).start.loadAverage.join(" ")} → ${machineLoad().loadAverage.join(" ")} (${machineLoad().cpus} CPUs)`,
      ),
    );
    printTable(`Replica benchmark: ${registry.length} tenants, scenario ${flags.scenario}, 1 vs 2 portal processes on one PostgreSQL`, rows);
    result.rows = rows;
    result.problems = problems;
    writeResults("replicas", result);
    return 0;
  } catch (error) {
    console.error(`[bench] the benchmark broke: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    result.problems = [...problems, `broke: ${error instanceof Error ? error.message : error}`];
    printTable("Replica benchmark", [info("2 replicas / 1 replica throughput", `not measured: ${error instanceof Error ? error.message : error}`)]);
    writeResults("replicas", result);
    return 1;
  } finally {
    await stack.stop();
  }
}

/** The signed-in browser's cookies on another replica (or the proxy): one session for all. */
function sameBrowser(client: PortalClient, portal: Pick<Portal, "url">): PortalClient {
  return new PortalClient(portal.url, client.cookieJar);
}

async function warm(client: PortalClient, tenants: number): Promise<void> {
  const deadline = performance.now() + 180_000;
  let last: FleetSummary | undefined;
  while (performance.now() < deadline) {
    last = await client.query<FleetSummary>("fleet.summary").catch(() => undefined);
    if (last && last.total >= tenants && last.freshness.filter((feed) => feed.kind !== "volume-stats").every((feed) => feed.synced)) return;
    await sleep(250);
  }
  throw new Error(`${client.url} not warm after 180 s: ${JSON.stringify(last?.freshness)}`);
}

function cpuNow(proxy: RoundRobinProxy, replicas: Portal[], others: { simPid: number; postgres: RegExp }): CpuReading {
  const own = process.cpuUsage();
  return {
    replicas: replicas.map((portal) => treeCpuSeconds(portal.process.pid!)),
    proxy: treeCpuSeconds(proxy.process.pid!),
    // autocannon runs in this process: its CPU is the load generator's.
    loadGenerator: (own.user + own.system) / 1e6,
    simulator: treeCpuSeconds(others.simPid),
    postgres: cpuSecondsOfCommands(others.postgres),
    machine: machineBusyCpuSeconds(),
  };
}

async function measuredRun(
  endpoint: string,
  url: string,
  cookie: string,
  count: 1 | 2,
  round: number,
  proxy: RoundRobinProxy,
  replicas: Portal[],
  others: { simPid: number; postgres: RegExp },
): Promise<Run> {
  const countsBefore = await proxy.counts();
  const before = cpuNow(proxy, replicas, others);
  const load = await runLoad({ name: endpoint, url, headers: { cookie }, connections: Number(flags.connections), durationSeconds: Number(flags.duration) });
  const after = cpuNow(proxy, replicas, others);
  const countsAfter = await proxy.counts();
  const delta = (key: "proxy" | "loadGenerator" | "simulator" | "machine") => after[key] - before[key];
  return {
    endpoint,
    replicas: count,
    round,
    load,
    cpu: {
      replicas: after.replicas.map((seconds, index) => seconds - before.replicas[index]),
      proxy: delta("proxy"),
      loadGenerator: delta("loadGenerator"),
      simulator: delta("simulator"),
      postgres: cpuSecondsBetween(before.postgres, after.postgres),
      machine: delta("machine"),
    },
    perReplica: countsAfter.map((entry, index) => entry.requests - countsBefore[index].requests),
  };
}

/** Cores busy on average during the run, per part: CPU seconds over wall seconds. */
function cpuProfile(run: Run): string {
  const cores = (seconds: number) => (seconds / run.load.durationSeconds).toFixed(2);
  const ours = run.cpu.replicas.reduce((sum, value) => sum + value, 0) + run.cpu.proxy + run.cpu.loadGenerator + run.cpu.simulator + run.cpu.postgres;
  return [
    ...run.cpu.replicas.map((seconds, index) => `replica ${"AB"[index]} ${cores(seconds)}`),
    `proxy ${cores(run.cpu.proxy)}`,
    `load generator ${cores(run.cpu.loadGenerator)}`,
    `simulator ${cores(run.cpu.simulator)}`,
    `PostgreSQL (this database's backends) ${cores(run.cpu.postgres)}`,
    `everything else ${cores(Math.max(0, run.cpu.machine - ours))}`,
    `machine ${cores(run.cpu.machine)} of ${machineLoad().cpus}`,
  ].join(", ");
}

function portalMsPerRequest(run: Run): number {
  return (run.cpu.replicas.reduce((sum, value) => sum + value, 0) * 1000) / Math.max(1, run.load.requests);
}

/**
 * What the cores allow: the portals' share of the machine in the two-replica run over the one
 * replica's CPU in the one-replica run, at the same CPU per request. Ratio ≈ that when the
 * machine is saturated; the rest of the gap would be the portals themselves.
 */
function ceiling(one: Run, two: Run): string {
  const cores = machineLoad().cpus;
  const others = (two.cpu.proxy + two.cpu.loadGenerator + two.cpu.simulator + two.cpu.postgres) / two.load.durationSeconds;
  const elsewhere = Math.max(
    0,
    two.cpu.machine / two.load.durationSeconds - others - two.cpu.replicas.reduce((sum, value) => sum + value, 0) / two.load.durationSeconds,
  );
  const forPortals = Math.max(0, cores - others - elsewhere);
  const onePortal = one.cpu.replicas[0] / one.load.durationSeconds;
  return `${cores} cores − ${others.toFixed(2)} (proxy, load generator, simulator, PostgreSQL) − ${elsewhere.toFixed(2)} (other processes) = ${forPortals.toFixed(2)} cores for the portals, against ${onePortal.toFixed(2)} for one replica alone → at most ${(forPortals / onePortal).toFixed(2)}× at the same CPU per request`;
}

function shares(runs: Run[]): string {
  const totals = [0, 0];
  for (const run of runs) run.perReplica.forEach((requests, index) => (totals[index] += requests));
  const sum = totals[0] + totals[1];
  return sum === 0 ? "n/a" : totals.map((requests, index) => `${"AB"[index]} ${((requests / sum) * 100).toFixed(1)} %`).join(", ");
}

main().then((code) => process.exit(code));

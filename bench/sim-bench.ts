// `npm run bench:sim`: how the Kubernetes API simulator holds up at fleet scale (issue 2's targets:
// ready in under 20 s and under 1.5 GB RSS at 10,000 tenants, paging all pods with limit=500 at
// API-server speed). Prints a table and writes bench/results/sim-<timestamp>.json + sim-latest.json.
import { parseArgs } from "node:util";
import type { Simulator } from "../scripts/lib/stack";
import { BenchStack } from "./support/bench-stack";
import { cpuSeconds, megabytes, processTree, readProcessMemory, type ProcessMemory } from "./support/process-memory";
import { info, machineLoad, printTable, sleep, summarize, upTo, writeResults, type LatencySummary, type MetricRow } from "./support/report";
import { ArrivalLog, readLines } from "../scripts/lib/response-streams";

const { values: flags } = parseArgs({
  options: {
    tenants: { type: "string", default: "10000" },
    scenario: { type: "string", default: "scale" },
    seed: { type: "string", default: "1" },
    limit: { type: "string", default: "500" },
    rounds: { type: "string", default: "3" },
    "watch-samples": { type: "string", default: "5" },
    verbose: { type: "boolean", default: false },
  },
});

const TARGETS = { readyMs: 20_000, rssMB: 1500, pageP95Ms: 250 };

interface PagingRound {
  pages: number;
  objects: number;
  bytes: number;
  totalMs: number;
  objectsPerSecond: number;
  pageMs: LatencySummary;
  largestPage: number;
}

/** The simulator's own node process: tsx runs it as a child, and the parent's RSS is only tsx's. */
function simulatorProcess(tsxPid: number): ProcessMemory | undefined {
  const candidates = processTree(tsxPid)
    .map(readProcessMemory)
    .filter((entry): entry is ProcessMemory => entry !== undefined && entry.command.includes("sim/main.ts"));
  return candidates.at(-1);
}

/** The part of a Kubernetes list response the bench reads (node summaries are only timed). */
interface KubeList {
  items?: unknown[];
  metadata: { resourceVersion: string; continue?: string };
}

async function getJson(sim: Simulator, path: string): Promise<{ body: KubeList; bytes: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${sim.url}${path}`, { headers: { authorization: `Bearer ${sim.token}`, accept: "application/json" } });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${path} → ${response.status}: ${text.slice(0, 300)}`);
  const body = JSON.parse(text) as KubeList;
  return { body, bytes: Buffer.byteLength(text), ms: performance.now() - started };
}

async function pageAllPods(sim: Simulator, limit: number): Promise<PagingRound> {
  const pageMs: number[] = [];
  let objects = 0;
  let bytes = 0;
  let largestPage = 0;
  let token: string | undefined;
  const started = performance.now();
  do {
    const query = new URLSearchParams({ limit: String(limit) });
    if (token) query.set("continue", token);
    const page = await getJson(sim, `/api/v1/pods?${query}`);
    const items = page.body.items ?? [];
    pageMs.push(page.ms);
    objects += items.length;
    bytes += page.bytes;
    largestPage = Math.max(largestPage, items.length);
    token = page.body.metadata?.continue || undefined;
    if (pageMs.length > 100_000) throw new Error("paging does not end: the continue token never runs out");
  } while (token);
  const totalMs = performance.now() - started;
  return { pages: pageMs.length, objects, bytes, totalMs, objectsPerSecond: objects / (totalMs / 1000), pageMs: summarize(pageMs), largestPage };
}

/**
 * One sweep of every node's kubelet summary through the API server proxy, as the portal's volume
 * stats poll does every 30 s: wall time and the simulator CPU it costs.
 */
async function kubeletSweep(
  sim: Simulator,
  simPid: number | undefined,
): Promise<{ nodes: number; totalMs: number; perNode: LatencySummary; simCpuSeconds?: number }> {
  const { body } = await getJson(sim, "/api/v1/nodes");
  const names = (body.items as { metadata: { name: string } }[]).map((node) => node.metadata.name);
  const cpuBefore = simPid === undefined ? undefined : cpuSeconds(simPid);
  const perNode: number[] = [];
  const started = performance.now();
  for (const name of names) perNode.push((await getJson(sim, `/api/v1/nodes/${encodeURIComponent(name)}/proxy/stats/summary`)).ms);
  const totalMs = performance.now() - started;
  const cpuAfter = simPid === undefined ? undefined : cpuSeconds(simPid);
  return {
    nodes: names.length,
    totalMs,
    perNode: summarize(perNode),
    simCpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
  };
}

/** Time to the response headers of a cluster-wide pod watch from the current resourceVersion. */
async function watchStartMs(sim: Simulator): Promise<number> {
  const { body } = await getJson(sim, "/api/v1/pods?limit=1");
  const abort = new AbortController();
  const started = performance.now();
  const response = await fetch(`${sim.url}/api/v1/pods?watch=1&allowWatchBookmarks=true&resourceVersion=${body.metadata.resourceVersion}`, {
    headers: { authorization: `Bearer ${sim.token}` },
    signal: abort.signal,
  });
  const ms = performance.now() - started;
  abort.abort();
  await response.body?.cancel().catch(() => undefined);
  if (!response.ok) throw new Error(`pod watch → ${response.status}`);
  return ms;
}

/** From a control call that scales a tenant's Deployment to the MODIFIED event on an open watch. */
async function watchEventMs(sim: Simulator, databaseName: string, replicas: number): Promise<number> {
  const namespace = `tenant-${databaseName}`;
  const { body } = await getJson(sim, `/apis/apps/v1/namespaces/${namespace}/deployments`);
  const abort = new AbortController();
  try {
    const response = await fetch(`${sim.url}/apis/apps/v1/namespaces/${namespace}/deployments?watch=1&resourceVersion=${body.metadata.resourceVersion}`, {
      headers: { authorization: `Bearer ${sim.token}` },
      signal: abort.signal,
    });
    if (!response.ok || !response.body) throw new Error(`deployment watch → ${response.status}`);
    const events = new ArrivalLog(readLines(response.body));
    const started = performance.now();
    await sim.control("POST", `/_sim/tenants/${encodeURIComponent(databaseName)}/${replicas === 0 ? "stop" : "start"}`, {});
    const arrival = await events.waitFor(
      started,
      (line) => {
        if (!line.trim()) return false;
        const event = JSON.parse(line);
        return event.type === "MODIFIED" && event.object?.spec?.replicas === replicas;
      },
      10_000,
    );
    if (!arrival) throw new Error(`no MODIFIED event for ${namespace} within 10 s`);
    return arrival.at - started;
  } finally {
    abort.abort();
  }
}

async function main(): Promise<number> {
  const tenants = Number(flags.tenants);
  const limit = Number(flags.limit);
  const rounds = Number(flags.rounds);
  const stack = new BenchStack({ dataDirPrefix: "bench-sim", logPrefix: "[bench:sim]", verbose: flags.verbose });

  try {
    console.log(`[bench:sim] starting the simulator: ${tenants} tenants, scenario ${flags.scenario}, seed ${flags.seed}`);
    const loadAtStart = machineLoad();
    const spawnedAt = performance.now();
    const sim = await stack.startSimulator({ tenants, scenario: flags.scenario, seed: Number(flags.seed), sampleMemoryEveryMs: 250 });
    const readyMs = performance.now() - spawnedAt;
    const atReady = simulatorProcess(sim.process.pid!);
    console.log(
      `[bench:sim] ready in ${(readyMs / 1000).toFixed(1)} s (${sim.tenants} tenants), RSS ${atReady ? megabytes(atReady.rssBytes).toFixed(0) : "?"} MB`,
    );

    // Controllers keep running after the ready line (pods start, jobs run): let them settle a little.
    await sleep(3000);
    const settled = simulatorProcess(sim.process.pid!);

    const pagingRounds: PagingRound[] = [];
    for (let round = 1; round <= rounds; round++) {
      const result = await pageAllPods(sim, limit);
      pagingRounds.push(result);
      console.log(
        `[bench:sim] paging round ${round}: ${result.objects} pods in ${result.pages} pages, ${result.totalMs.toFixed(0)} ms ` +
          `(${result.objectsPerSecond.toFixed(0)} objects/s, page p50 ${result.pageMs.p50} ms, p95 ${result.pageMs.p95} ms)`,
      );
    }
    const afterPaging = simulatorProcess(sim.process.pid!);

    const watchStarts: number[] = [];
    for (let i = 0; i < Number(flags["watch-samples"]); i++) watchStarts.push(await watchStartMs(sim));
    const registry = (await sim.control("GET", "/_sim/registry")) as { database_name: string }[];
    const probe = registry[Math.floor(registry.length / 2)]?.database_name;
    const watchEvents: number[] = [];
    if (probe) {
      for (let i = 0; i < Number(flags["watch-samples"]); i++) watchEvents.push(await watchEventMs(sim, probe, i % 2 === 0 ? 0 : 1));
      // Leave the tenant as it was found.
      if (Number(flags["watch-samples"]) % 2 === 1) await sim.control("POST", `/_sim/tenants/${encodeURIComponent(probe)}/start`, {});
    }
    const sweep = await kubeletSweep(sim, simulatorProcess(sim.process.pid!)?.pid);
    console.log(
      `[bench:sim] kubelet stats sweep: ${sweep.nodes} nodes in ${sweep.totalMs.toFixed(0)} ms, simulator CPU ${sweep.simCpuSeconds?.toFixed(1) ?? "?"} s`,
    );
    const stats = (await sim.control("GET", "/_sim/stats")) as { total: number };
    const final = simulatorProcess(sim.process.pid!);

    // The median round by total time: the first round also pays for JIT warm-up.
    const median = [...pagingRounds].sort((a, b) => a.totalMs - b.totalMs)[Math.floor((pagingRounds.length - 1) / 2)];
    const peakRss = final?.peakRssBytes ?? 0;
    const watchStart = summarize(watchStarts);
    const watchEvent = summarize(watchEvents);

    const rows: MetricRow[] = [
      upTo("time to 'sim ready' (spawn → ready line)", readyMs / 1000, TARGETS.readyMs / 1000, "s", 1),
      upTo("simulator RSS, peak (VmHWM)", megabytes(peakRss), TARGETS.rssMB, "MB"),
      info(
        "simulator RSS at ready / settled / after paging",
        [atReady, settled, afterPaging].map((m) => (m ? `${megabytes(m.rssBytes).toFixed(0)}` : "?")).join(" / ") + " MB",
      ),
      info("pods listed (pages of " + limit + ")", `${median.objects} in ${median.pages} pages, largest page ${median.largestPage}`),
      info(
        "page through all pods (median of " + rounds + " rounds)",
        `${median.totalMs.toFixed(0)} ms, ${median.objectsPerSecond.toFixed(0)} objects/s, ${megabytes(median.bytes).toFixed(1)} MB`,
      ),
      upTo(`${limit}-pod page latency p95 (median round)`, median.pageMs.p95, TARGETS.pageP95Ms, "ms"),
      info(`${limit}-pod page latency p50 / p99 / max`, `${median.pageMs.p50} / ${median.pageMs.p99} / ${median.pageMs.max} ms`),
      info("cluster-wide pod watch start (to headers) p50 / max", `${watchStart.p50} / ${watchStart.max} ms`),
      info("scale call → MODIFIED on an open watch p50 / max", watchEvents.length ? `${watchEvent.p50} / ${watchEvent.max} ms` : "no tenant to probe"),
      info(
        "kubelet stats/summary sweep, all nodes (portal polls every 30 s)",
        `${sweep.nodes} nodes in ${(sweep.totalMs / 1000).toFixed(1)} s (per node p50 ${sweep.perNode.p50} ms), simulator CPU ${sweep.simCpuSeconds?.toFixed(1) ?? "?"} s`,
      ),
      info(
        "machine load average (1/5/15 min) start → end",
        `${loadAtStart.loadAverage.join(" ")} → ${machineLoad().loadAverage.join(" ")} (${loadAtStart.cpus} CPUs)`,
      ),
    ];
    printTable(`Simulator benchmark: ${sim.tenants} tenants, scenario ${flags.scenario}`, rows);

    writeResults("sim", {
      kind: "sim-bench",
      at: new Date().toISOString(),
      options: { tenants, scenario: flags.scenario, seed: Number(flags.seed), limit, rounds },
      machine: { start: loadAtStart, end: machineLoad() },
      targets: TARGETS,
      readyMs,
      tenants: sim.tenants,
      memory: { atReady, settled, afterPaging, final, peakRssBytes: peakRss, treePeakBytes: stack.simSampler!.peakBytes },
      paging: { rounds: pagingRounds, median },
      kubeletSweep: sweep,
      watch: { startMs: watchStart, startSamples: watchStarts, eventMs: watchEvent, eventSamples: watchEvents, probeTenant: probe },
      requestsServed: stats.total,
      rows,
    });
    return 0;
  } catch (error) {
    console.error(`[bench:sim] the benchmark broke: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    return 1;
  } finally {
    await stack.stop();
  }
}

main().then((code) => process.exit(code));

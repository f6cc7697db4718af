// `npm run bench:logs`: live pod logs through the portal, against issue 4's target. Starts the
// simulator, a fresh embedded database with the registry imported and the production portal; opens
// `logs.stream` SSE subscriptions (follow mode) on one tenant's Odoo container, makes the simulator
// write lines at a fixed rate (`/_sim/tenants/<db>/log-burst`) and measures the lines per second the
// clients receive and the delay from each line's write (its kubelet timestamp) to its arrival.
// Prints a table and writes bench/results/logs-<timestamp>.json + logs-latest.json. A missed target
// is a finding (exit 0); exit 1 means something could not be measured.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { buildPortalIfStale, type Simulator } from "../scripts/lib/stack";
import type { LogLine, LogStreamEvent, LogTarget } from "../lib/logs/types";
import { BenchStack, type RegistryRow } from "./support/bench-stack";
import { PortalClient, subscriptionData } from "../scripts/lib/portal-client";
import { megabytes } from "./support/process-memory";
import { info, machineLoad, printTable, sleep, summarize, upTo, writeResults, type LatencySummary, type MetricRow } from "./support/report";
import type { ArrivalLog, ServerSentEvent } from "../scripts/lib/response-streams";

const { values: flags } = parseArgs({
  options: {
    tenants: { type: "string", default: "20" },
    seed: { type: "string", default: "1" },
    rate: { type: "string", default: "2000" },
    seconds: { type: "string", default: "15" },
    viewers: { type: "string", default: "1" },
    "keep-data": { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
    // The logs router in this process behind tRPC's standalone HTTP adapter (in-memory database):
    // everything but Next.js, so it needs no production bundle.
    direct: { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
  },
});

const TARGETS = { delayP95Ms: 500 };

const log = (message: string) => console.log(`[bench] ${message}`);

interface ViewerResult {
  lines: number;
  duplicates: number;
  linesPerSecond: number;
  delayMs: LatencySummary;
  states: string[];
}

/** Lines of one subscription that belong to the burst, with arrival wall-clock times. */
function burstLines(events: ArrivalLog<ServerSentEvent>, burstStartMs: number): { line: LogLine; arrivedAt: number }[] {
  const out: { line: LogLine; arrivedAt: number }[] = [];
  for (const item of events.items) {
    const data = subscriptionData<LogStreamEvent>(item.value);
    if (data?.type !== "lines") continue;
    const arrivedAt = performance.timeOrigin + item.at;
    for (const line of data.lines) if (Date.parse(line.ts) >= burstStartMs) out.push({ line, arrivedAt });
  }
  return out;
}

interface Subscription {
  events: ArrivalLog<ServerSentEvent>;
  close(): void;
}

interface OpenedViewers {
  tenant: RegistryRow;
  subscriptions: Subscription[];
}

/** The production portal: sign in, find a running Odoo pod through logs.targets, subscribe to logs.stream. */
async function openPortalViewers(stack: BenchStack, viewers: number): Promise<OpenedViewers> {
  await stack.prepareDatabase();
  const registry = await stack.registry();
  if (!flags["no-build"]) buildPortalIfStale();
  const portal = await stack.startPortal();
  log(`portal at ${portal.url}`);
  const client = await stack.signIn();

  const { tenant, pod } = await findRunningPod(client, registry);
  log(`following ${tenant.database_name}/${pod}/odoo with ${viewers} viewer(s) through the portal`);
  const subscriptions = await Promise.all(
    Array.from({ length: viewers }, () => client.subscribe("logs.stream", { tenantId: tenant.id, pod, container: "odoo", follow: true, tailLines: 100 })),
  );
  for (const subscription of subscriptions) stack.closers.push(subscription.close);
  return { tenant, subscriptions };
}

/**
 * The portal's logs router in this process behind tRPC's standalone HTTP adapter: the same
 * procedure, hub, audit write and SSE framing as in the portal, without Next.js (no bundle needed).
 */
async function openDirectViewers(stack: BenchStack, sim: Simulator, viewers: number): Promise<OpenedViewers> {
  // server/env.ts is read on import: point it at this run's data dir and the simulator first.
  Object.assign(process.env, { FLEETDECK_DATA_DIR: stack.dataDir, KUBECONFIG: sim.kubeconfig, DATABASE_URL: "memory://" });
  process.env.NEXTAUTH_SECRET ??= "bench-only-secret-that-is-long-enough-0123456789";
  const { runtime } = await import("../server/runtime");
  const { importRegistry } = await import("../server/tenants/registry-import");
  const { createTRPCContext } = await import("../server/trpc/init");
  const { appRouter } = await import("../server/trpc/root");
  const { createHTTPHandler } = await import("@trpc/server/adapters/standalone");
  const db = runtime().db;
  await runtime().migrateDb();
  const registry = await stack.registry();
  await importRegistry(db, JSON.stringify(registry), "json", { cluster: "default", actor: { name: "bench@local" } });
  const user = await db.user.create({ data: { email: "bench-operator@local", name: "bench", role: "operator" } });
  const session = { user: { id: user.id, email: user.email, name: user.name, role: "operator" as const } };
  const handler = createHTTPHandler({
    router: appRouter,
    basePath: "/api/trpc/",
    createContext: ({ req }) => createTRPCContext({ headers: new Headers(req.headers as Record<string, string>), session }),
  });
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const client = new PortalClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  stack.closers.push(() => {
    void runtime().stop();
    server.closeAllConnections();
    server.close();
  });
  const { tenant, pod } = await findRunningPod(client, registry);
  log(`following ${tenant.database_name}/${pod}/odoo with ${viewers} viewer(s), logs router in process`);
  const subscriptions = await Promise.all(
    Array.from({ length: viewers }, () => client.subscribe("logs.stream", { tenantId: tenant.id, pod, container: "odoo", follow: true, tailLines: 100 })),
  );
  // Viewers close before the hub and the server.
  for (const subscription of subscriptions) stack.closers.unshift(subscription.close);
  return { tenant, subscriptions };
}

/** A tenant with a running Odoo pod, found the way the log viewer finds it (logs.targets). */
async function findRunningPod(client: PortalClient, registry: RegistryRow[]): Promise<{ tenant: RegistryRow; pod: string }> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    for (const row of registry) {
      const targets = await client.query<LogTarget[]>("logs.targets", { tenantId: row.id }).catch(() => []);
      const running = targets.find((t) => t.phase === "Running" && t.containers.some((c) => c.name === "odoo" && c.state === "Running"));
      if (running) return { tenant: row, pod: running.pod };
    }
    await sleep(1_000);
  }
  throw new Error("no tenant with a running Odoo pod within 60 s");
}

const isLive = (event: LogStreamEvent | undefined) => event?.type === "status" && event.state === "live";

function statesOf(events: ArrivalLog<ServerSentEvent>): string[] {
  return events.items.flatMap((item) => {
    const data = subscriptionData<LogStreamEvent>(item.value);
    return data?.type === "status" ? [data.message ? `${data.state}: ${data.message}` : data.state] : [];
  });
}

async function main(): Promise<number> {
  const tenants = Number(flags.tenants);
  const rate = Number(flags.rate);
  const burstSeconds = Number(flags.seconds);
  const viewers = Math.max(1, Number(flags.viewers));
  const problems: string[] = [];
  const result: Record<string, unknown> = {
    kind: "logs-bench",
    at: new Date().toISOString(),
    options: { tenants, seed: Number(flags.seed), rate, burstSeconds, viewers },
    targets: TARGETS,
    machine: { start: machineLoad() },
  };

  const stack = new BenchStack({ dataDirPrefix: "bench-logs", logPrefix: "[bench]", keepData: flags["keep-data"], verbose: flags.verbose });

  const rows: MetricRow[] = [];
  try {
    log(`starting the simulator: ${tenants} tenants, scenario healthy`);
    const sim = await stack.startSimulator({ tenants, scenario: "healthy", seed: Number(flags.seed) });
    const opened = flags.direct ? await openDirectViewers(stack, sim, viewers) : await openPortalViewers(stack, viewers);
    const { tenant, subscriptions } = opened;
    for (const subscription of subscriptions) {
      const live = await subscription.events.waitFor(0, (event) => isLive(subscriptionData<LogStreamEvent>(event)), 30_000);
      if (!live) throw new Error(`a subscription did not report "live" within 30 s: ${statesOf(subscription.events).join(", ")}`);
    }
    await sleep(1_000);

    // The simulator stamps each line with the time it writes it (ticks of 100 ms).
    const burstStartMs = Math.floor(Date.now() / 1000) * 1000 + 1000;
    await sleep(burstStartMs - Date.now());
    const burst = (await sim.control("POST", `/_sim/tenants/${tenant.database_name}/log-burst`, { linesPerSecond: rate, seconds: burstSeconds })) as {
      pods: number;
    };
    if (burst.pods < 1) throw new Error("the log burst reached no pod");
    await sleep(burstSeconds * 1000 + 3_000);
    const stats = (await sim.control("GET", "/_sim/stats")) as { byVerbResource: Record<string, number> };
    for (const close of stack.closers.splice(0)) close();
    // Nothing else reads pod logs here: these are the shared follow plus each viewer's history read.
    const logRequests = stats.byVerbResource["get pods/log"] ?? 0;
    result.logRequests = logRequests;

    const viewerResults: ViewerResult[] = subscriptions.map((subscription) => {
      const lines = burstLines(subscription.events, burstStartMs);
      const ids = new Set(lines.map((entry) => entry.line.id));
      const writtenAt = lines.map((entry) => Date.parse(entry.line.ts));
      const spanMs = lines.length > 1 ? Math.max(...lines.map((e) => e.arrivedAt)) - Math.min(...writtenAt) : Number.NaN;
      return {
        lines: lines.length,
        duplicates: lines.length - ids.size,
        linesPerSecond: Math.round(lines.length / (spanMs / 1000)),
        delayMs: summarize(lines.map((entry) => entry.arrivedAt - Date.parse(entry.line.ts))),
        states: statesOf(subscription.events),
      };
    });
    const expectedLines = rate * burstSeconds;
    // The simulator stamps every line of one 100 ms tick with the same time and writes
    // rate/10 traffic entries per tick: a tick that arrived with fewer lines lost some on the way,
    // while missing ticks mean the simulator's timer fell behind (it runs fewer ticks under load).
    const perTick = new Map<string, number>();
    for (const { line } of burstLines(subscriptions[0].events, burstStartMs)) perTick.set(line.ts, (perTick.get(line.ts) ?? 0) + 1);
    const fullTick = Math.floor(rate / 10);
    // The tenant's own occasional lines (health checks) are not burst ticks.
    for (const [ts, size] of perTick) if (size <= fullTick / 2) perTick.delete(ts);
    const tickSizes = [...perTick.values()];
    const shortTicks = tickSizes.filter((size) => size < fullTick).length;
    result.ticks = {
      received: perTick.size,
      scheduled: burstSeconds * 10,
      linesPerTick: fullTick,
      shortTicks,
      short: [...perTick].filter(([, size]) => size < fullTick).map(([ts, size]) => ({ ts, size })),
    };
    const first = viewerResults[0];
    const allDelays = summarize(
      subscriptions.flatMap((subscription) => burstLines(subscription.events, burstStartMs).map((entry) => entry.arrivedAt - Date.parse(entry.line.ts))),
    );
    result.viewers = viewerResults;
    result.delayMs = allDelays;
    rows.push(
      info("requested rate", `${rate} lines/s for ${burstSeconds} s (~${expectedLines} lines)`),
      info(
        "lines received (first viewer)",
        `${first.lines} (${Math.round((first.lines / expectedLines) * 100)} % of requested), ${first.duplicates} duplicates`,
      ),
      info("lines/s delivered (first viewer)", `${first.linesPerSecond}`),
      info("simulator ticks received / scheduled", `${perTick.size} / ${burstSeconds * 10}, ${shortTicks} with fewer than ${fullTick} lines`),
      upTo(`write → arrival p95 (${viewers} viewer${viewers > 1 ? "s" : ""})`, allDelays.p95, TARGETS.delayP95Ms, "ms"),
      info("write → arrival p50 / p99 / max", `${allDelays.p50} / ${allDelays.p99} / ${allDelays.max} ms`),
    );
    if (viewers > 1) rows.push(info("lines received per viewer", viewerResults.map((v) => v.lines).join(", ")));
    rows.push(info("Kubernetes log requests", `${logRequests} for ${viewers} viewer${viewers > 1 ? "s" : ""} (one shared follow + history reads)`));
    rows.push(
      info(
        "path",
        flags.direct ? "direct: logs router in the bench process, tRPC standalone SSE (no Next.js)" : "portal: next start, tRPC logs.stream over SSE",
      ),
    );
    if (stack.portalSampler) rows.push(info("portal RSS peak", `${megabytes(stack.portalSampler.peakBytes).toFixed(0)} MB`));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    problems.push(message);
    console.error(`[bench] failed: ${message}`);
  } finally {
    (result.machine as Record<string, unknown>).end = machineLoad();
    await stack.stop();
  }

  result.rows = rows;
  result.problems = problems;
  printTable("Pod logs (issue 4)", rows.length ? rows : [info("run", `not measured: ${problems.join("; ")}`)]);
  writeResults("logs", result);
  return problems.length ? 1 : 0;
}

main().then((code) => process.exit(code));

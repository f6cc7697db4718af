// `npm run bench:waves`: a migration wave through the production portal. Starts the simulator
// (10,000 tenants `scale` by default, a quarter of them still on Swarm: the registry export marks
// them and their Deployments wait at 0 replicas), a fresh embedded database with the registry
// imported and `next start`, signs in as the demo admin, creates a wave of 1,000 on-Swarm tenants
// (batches of 50, concurrency 20), records the attested steps (backed up, stopped on Swarm, data
// restored) and runs "Start on Kubernetes" and "Verify" through the wave driver, polling the board
// as a browser would. Measures each step's wall time, the Kubernetes API requests per tenant (the
// simulator's counters, watches and kubelet polls apart) and the runs lost (a tenant without a
// succeeded run) or repeated (a second scale of a Deployment). Prints a table and writes
// bench/results/waves-*.json.
import { parseArgs } from "node:util";
import { buildPortalIfStale } from "../scripts/lib/stack";
import type { WaveBoardView, WaveSelectionPreview, WaveSummaryView } from "../lib/migration/waves";
import { BenchStack } from "./support/bench-stack";
import { info, machineLoad, printTable, sleep, writeResults, type MetricRow } from "./support/report";

const { values: flags } = parseArgs({
  options: {
    tenants: { type: "string", default: "10000" },
    scenario: { type: "string", default: "scale" },
    wave: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "20" },
    "batch-size": { type: "string", default: "50" },
    "keep-data": { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
  },
});

const TARGETS = { lost: 0, repeated: 0 };
const log = (message: string) => console.log(`[bench] ${message}`);

type Stats = { byVerbResource: Record<string, number> };

/** Requests the portal made, without watches (long-running) and kubelet stats polls (on a timer). */
function portalRequests(stats: Stats): Record<string, number> {
  return Object.fromEntries(Object.entries(stats.byVerbResource).filter(([key]) => !key.startsWith("get nodes/proxy") && !key.startsWith("watch ")));
}

function total(requests: Record<string, number>): number {
  return Object.values(requests).reduce((sum, n) => sum + n, 0);
}

async function main(): Promise<void> {
  const stack = new BenchStack({ dataDirPrefix: "bench-waves", logPrefix: "[bench]", keepData: flags["keep-data"], verbose: flags.verbose });
  const rows: MetricRow[] = [];
  const loadAtStart = machineLoad();
  const waveSize = Number(flags.wave);
  try {
    const sim = await stack.startSimulator({ tenants: Number(flags.tenants), scenario: flags.scenario as "scale" });
    await stack.prepareDatabase();
    if (!flags["no-build"]) buildPortalIfStale();
    const portal = await stack.startPortal();
    log(`portal at ${portal.url}`);
    const client = await stack.signIn();

    const selection = { instanceTypes: [], odooVersions: [], customer: "", sizes: [], tenantIds: [], limit: waveSize };
    let preview: WaveSelectionPreview | undefined;
    for (let attempt = 0; attempt < 120; attempt++) {
      // The tenant directory warms with the cache: until then nothing matches.
      preview = await client.query<WaveSelectionPreview>("migration.waves.previewSelection", { selection });
      if (preview.eligible >= waveSize) break;
      await sleep(1_000);
    }
    if (!preview || preview.eligible < waveSize) throw new Error(`only ${preview?.eligible ?? 0} on-Swarm tenants can join; the bench needs ${waveSize}`);

    const createdAt = Date.now();
    const wave = await client.mutation<WaveSummaryView>("migration.waves.create", {
      name: `Bench wave ${new Date().toISOString()}`,
      selection,
      batchSize: Number(flags["batch-size"]),
      concurrency: Number(flags.concurrency),
      failureBudget: 50,
      exitGateHours: 0,
    });
    const createMs = Date.now() - createdAt;
    const attestStarted = Date.now();
    for (const to of ["backed-up", "stopped-on-swarm", "data-restored"]) {
      await client.mutation("migration.waves.attest", { waveId: wave.id, to, evidence: "bench" });
    }
    const attestMs = Date.now() - attestStarted;
    log(`wave of ${wave.tenantCount} created in ${createMs} ms, three steps recorded in ${attestMs} ms`);

    const runStep = async (action: "start" | "verify") => {
      await sim.control("POST", "/_sim/stats/reset");
      const started = Date.now();
      await client.mutation("migration.waves.act", { waveId: wave.id, action });
      let board: WaveBoardView;
      let polls = 0;
      for (;;) {
        await sleep(1_000);
        board = await client.query<WaveBoardView>("migration.waves.board", { waveId: wave.id });
        polls += 1;
        if (polls % 15 === 0) {
          const done = board.tenants.filter((t) => t.run?.step === action && (t.run.state === "succeeded" || t.run.state === "failed")).length;
          log(`${action}: ${done} of ${board.tenantCount} runs ended`);
        }
        if (board.state !== "running") break;
      }
      const wallMs = Date.now() - started;
      const requests = portalRequests((await sim.control("GET", "/_sim/stats")) as Stats);
      return { wallMs, board, requests };
    };

    const start = await runStep("start");
    const verify = await runStep("verify");
    const startedOk = start.board.tenants.filter((t) => t.state !== "data-restored").length;
    const verifiedOk = verify.board.tenants.filter((t) => t.state === "verified").length;
    const failedRuns = verify.board.tenants.filter((t) => t.run?.state === "failed").map((t) => `${t.databaseName}: ${t.run?.message ?? ""}`);
    // Each start is one previewed (dry-run) scale and one real scale: anything above 2 per tenant is a repeat.
    const scales = start.requests["patch deployments/scale"] ?? 0;
    const repeated = Math.max(0, scales / 2 - wave.tenantCount);
    const lost = wave.tenantCount - verifiedOk - failedRuns.length;

    rows.push(
      info("wave", `${wave.tenantCount} tenants of ${flags.tenants} (${flags.scenario}), batches of ${flags["batch-size"]}, concurrency ${flags.concurrency}`),
      info("create the wave / record three attested steps", `${createMs} ms / ${attestMs} ms`),
      info(
        "start on Kubernetes: wall time",
        `${(start.wallMs / 1000).toFixed(1)} s (${startedOk} started, ${(start.wallMs / Math.max(1, startedOk)).toFixed(0)} ms per tenant)`,
      ),
      info("verify: wall time", `${(verify.wallMs / 1000).toFixed(1)} s (${verifiedOk} verified)`),
      info("API requests per tenant, start", `${(total(start.requests) / wave.tenantCount).toFixed(1)} (${formatRequests(start.requests, wave.tenantCount)})`),
      info(
        "API requests per tenant, verify",
        `${(total(verify.requests) / wave.tenantCount).toFixed(1)} (${formatRequests(verify.requests, wave.tenantCount)})`,
      ),
      info("failed runs", failedRuns.length === 0 ? "0" : `${failedRuns.length}: ${failedRuns.slice(0, 5).join("; ")}`),
      exactly("runs lost (a tenant whose run never ended)", lost, TARGETS.lost),
      exactly("runs repeated (a second scale of a Deployment)", repeated, TARGETS.repeated),
      info("machine load (start → end)", `${loadAtStart.loadAverage.join(" ")} → ${machineLoad().loadAverage.join(" ")} (${loadAtStart.cpus} CPUs)`),
    );
    printTable("Waves: 1,000 tenants through start and verify", rows);
    writeResults("waves", {
      rows,
      wave,
      createMs,
      attestMs,
      start: { wallMs: start.wallMs, requests: start.requests },
      verify: { wallMs: verify.wallMs, requests: verify.requests },
      failedRuns,
      targets: TARGETS,
    });
  } finally {
    await stack.stop();
  }
}

function exactly(metric: string, value: number, target: number): MetricRow {
  return { metric, value: String(value), target: String(target), verdict: value === target ? "PASS" : "FAIL" };
}

function formatRequests(requests: Record<string, number>, per: number): string {
  return (
    Object.entries(requests)
      .sort()
      .map(([key, value]) => `${key} ×${(value / per).toFixed(1)}`)
      .join(", ") || "none"
  );
}

main().catch((error: unknown) => {
  console.error(`[bench] could not measure: ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
});

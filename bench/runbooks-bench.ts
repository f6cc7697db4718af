// `npm run bench:runbooks`: a runbook click through the production portal. Starts the simulator
// (healthy fleet), a fresh embedded database with the registry imported and `next start`, signs in
// as the demo admin and restarts 20 healthy tenants one after the other, each as the dialog does
// it: `runbooks.preview`, then `runbooks.confirm` (the click), then the run view until it ends.
// Measures click → change accepted by the API server (the restart step's end), click → verified
// (the run's end), and the API requests a preview and a run make (the simulator's counters; a
// preview must not list the cluster). Prints a table and writes bench/results/runbooks-*.json.
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { buildPortalIfStale } from "../scripts/lib/stack";
import type { RunbookActionView, RunbookPreviewView, RunView } from "../lib/runbooks/run-views";
import { BenchStack, type RegistryRow } from "./support/bench-stack";
import { info, machineLoad, printTable, sleep, summarize, upTo, writeResults, type MetricRow } from "./support/report";

const { values: flags } = parseArgs({
  options: {
    tenants: { type: "string", default: "40" },
    runs: { type: "string", default: "20" },
    "keep-data": { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
  },
});

const TARGETS = { changeP95Ms: 1_000, verifiedP95Ms: 30_000, previewLists: 0 };
const log = (message: string) => console.log(`[bench] ${message}`);

type Stats = { byVerbResource: Record<string, number> };

/** Requests made by the portal, without its kubelet stats polls (on a timer, not caused by the run). */
function portalRequests(stats: Stats): Record<string, number> {
  return Object.fromEntries(Object.entries(stats.byVerbResource).filter(([key]) => !key.startsWith("get nodes/proxy") && !key.startsWith("watch ")));
}

async function main(): Promise<void> {
  const stack = new BenchStack({ dataDirPrefix: "bench-runbooks", logPrefix: "[bench]", keepData: flags["keep-data"], verbose: flags.verbose });
  const rows: MetricRow[] = [];
  const loadAtStart = machineLoad();
  try {
    const sim = await stack.startSimulator({ tenants: Number(flags.tenants), scenario: "healthy" });
    await stack.prepareDatabase();
    const registry: RegistryRow[] = await stack.registry();
    if (!flags["no-build"]) buildPortalIfStale();
    const portal = await stack.startPortal();
    log(`portal at ${portal.url}`);
    const client = await stack.signIn();

    const changes: number[] = [];
    const verified: number[] = [];
    const previewRequests: Record<string, number>[] = [];
    const runRequests: Record<string, number>[] = [];
    const failures: string[] = [];
    for (const tenant of registry) {
      if (verified.length + failures.length >= Number(flags.runs)) break;
      const actions = await client.query<RunbookActionView[]>("runbooks.actions", { tenantId: tenant.id });
      if (!actions.find((action) => action.runbookId === "restart-instance")?.available) continue;
      await sim.control("POST", "/_sim/stats/reset");
      const preview = await client.mutation<RunbookPreviewView>("runbooks.preview", { tenantId: tenant.id, runbookId: "restart-instance", input: {} });
      previewRequests.push(portalRequests((await sim.control("GET", "/_sim/stats")) as Stats));
      if (!preview.canConfirm) continue;
      await sim.control("POST", "/_sim/stats/reset");
      const clicked = Date.now();
      const run = await client.mutation<RunView>("runbooks.confirm", {
        tenantId: tenant.id,
        runbookId: "restart-instance",
        input: {},
        planHash: preview.planHash,
        idempotencyKey: randomUUID(),
      });
      let view = run;
      while (!view.endedAt) {
        await sleep(100);
        view = await client.query<RunView>("runbooks.run", { runId: run.id });
      }
      runRequests.push(portalRequests((await sim.control("GET", "/_sim/stats")) as Stats));
      const sent = view.steps.find((step) => step.title.startsWith("Restart"));
      if (view.state !== "succeeded" || !sent?.endedAt) {
        failures.push(`${tenant.database_name}: ${view.state} ${view.message ?? ""}`);
        continue;
      }
      changes.push(Date.parse(sent.endedAt) - clicked);
      verified.push(Date.parse(view.endedAt!) - clicked);
      log(`${tenant.database_name}: verified after ${Date.parse(view.endedAt!) - clicked} ms`);
    }
    const change = summarize(changes);
    const done = summarize(verified);
    const lists = previewRequests.reduce(
      (sum, requests) =>
        sum +
        Object.entries(requests)
          .filter(([key]) => key.startsWith("list "))
          .reduce((s, [, n]) => s + n, 0),
      0,
    );
    const perPreview = previewRequests.length ? averageOf(previewRequests) : {};
    const perRun = runRequests.length ? averageOf(runRequests) : {};
    rows.push(
      info("runs", `${verified.length} verified, ${failures.length} not${failures.length ? ` (${failures.join("; ")})` : ""}`),
      upTo("click → change accepted (p95)", verified.length ? change.p95 : undefined, TARGETS.changeP95Ms, "ms"),
      info("click → change accepted (p50)", `${verified.length ? change.p50 : "-"} ms`),
      upTo("click → verified (p95)", verified.length ? done.p95 : undefined, TARGETS.verifiedP95Ms, "ms"),
      info("click → verified (p50)", `${verified.length ? done.p50 : "-"} ms`),
      {
        metric: "list requests made by previews",
        value: `${lists} requests over ${previewRequests.length} previews`,
        target: `${TARGETS.previewLists}`,
        verdict: previewRequests.length === 0 ? "n/a" : lists === TARGETS.previewLists ? "PASS" : "FAIL",
      },
      info("API requests per preview", formatRequests(perPreview)),
      info("API requests per run", formatRequests(perRun)),
      info("machine load (start → end)", `${loadAtStart.loadAverage.join(" ")} → ${machineLoad().loadAverage.join(" ")} (${loadAtStart.cpus} CPUs)`),
    );
    printTable("Runbooks: a restart through the portal", rows);
    writeResults("runbooks", { rows, changes, verified, previewRequests, runRequests, failures, targets: TARGETS });
  } finally {
    await stack.stop();
  }
}

function averageOf(samples: Record<string, number>[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const sample of samples) for (const [key, value] of Object.entries(sample)) totals[key] = (totals[key] ?? 0) + value;
  return Object.fromEntries(Object.entries(totals).map(([key, value]) => [key, Math.round((value / samples.length) * 10) / 10]));
}

function formatRequests(requests: Record<string, number>): string {
  return (
    Object.entries(requests)
      .sort()
      .map(([key, value]) => `${key} ×${value}`)
      .join(", ") || "none"
  );
}

main().catch((error: unknown) => {
  console.error(`[bench] could not measure: ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
});

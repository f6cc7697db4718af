// `npm run demo`: the whole portal on one machine. Starts the Kubernetes API simulator with the demo
// fleet (unless KUBECONFIG points at a real cluster), prepares the database (PGlite under .data/
// unless DATABASE_URL is set), builds and starts the production portal, and stops everything on Ctrl-C.
import { mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { buildPortalIfStale, dataDirOf, prepareDatabase, repoRoot, startPortal, startSimulator, type Simulator } from "./lib/stack";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "3000" },
    host: { type: "string", default: "127.0.0.1" },
    tenants: { type: "string", default: "40" },
    scenario: { type: "string", default: "demo" },
  },
});

const dataDir = dataDirOf(process.env);
const portalLog = join(dataDir, "logs", "portal.log");
/** A path under the repository relative to it, any other as it is. */
const shown = (path: string) => (path.startsWith(`${repoRoot}/`) ? relative(repoRoot, path) : path);
mkdirSync(dataDir, { recursive: true });

async function main() {
  const env: NodeJS.ProcessEnv = { ...process.env, FLEETDECK_DATA_DIR: dataDir, FLEETDECK_DEMO: process.env.FLEETDECK_DEMO ?? "1" };
  let simulator: Simulator | undefined;
  if (process.env.KUBECONFIG) {
    console.log(`[demo] using the cluster from KUBECONFIG; no simulator started`);
  } else {
    console.log(`[demo] starting the Kubernetes API simulator (${values.tenants} tenants, scenario ${values.scenario})…`);
    simulator = await startSimulator({
      dataDir,
      tenants: Number(values.tenants),
      scenario: values.scenario,
      quiet: true,
      // kubectl sends no bearer token over plain http, so it gets its own loopback-only listener.
      kubectlListener: true,
    });
    env.KUBECONFIG = simulator.kubeconfig;
  }
  const stopAll = async () => {
    await portal?.stop();
    await simulator?.stop();
  };
  let portal: Awaited<ReturnType<typeof startPortal>> | undefined;
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.log("\n[demo] stopping…");
      stopAll().then(() => process.exit(0));
    });
  }

  console.log(process.env.DATABASE_URL ? "[demo] preparing the PostgreSQL database…" : "[demo] preparing the embedded database (.data/pglite)…");
  await prepareDatabase(env, simulator);
  buildPortalIfStale();
  console.log("[demo] starting the portal…");
  // The portal's own lines (server errors included) go to this terminal and, as JSON lines, to a file.
  portal = await startPortal(env, Number(values.port), values.host, { logFile: portalLog });

  const line = "─".repeat(64);
  console.log(`\n${line}\n  Fleetdeck is running at ${portal.url}\n`);
  console.log("  Demo sign-ins (password: fleetdeck-demo)");
  for (const [email, role] of [
    ["admin@fleetdeck.local", "admin: everything, manages users"],
    ["approver@fleetdeck.local", "admin: a second person to approve high-risk runs"],
    ["operator@fleetdeck.local", "operator: fleet, tenants, logs, runbooks"],
    ["pm@fleetdeck.local", "pm: fleet, tenants, migration tracking"],
    ["viewer@fleetdeck.local", "viewer: read-only fleet and tenants"],
  ]) {
    console.log(`    ${email.padEnd(28)} ${role}`);
  }
  console.log(`\n  Portal log:        ${shown(portalLog)} (also printed here, prefixed [portal])`);
  if (!simulator) {
    console.log("\n  The cluster comes from KUBECONFIG, so no demo registry was imported. Import your tenant registry");
    console.log(`  (the instance service's CSV or JSON export) as admin on ${portal.url}/registry, or, with the`);
    console.log("  demo stopped: npx tsx scripts/registry-import.ts <export.csv|export.json>");
  }
  if (simulator) {
    console.log(`\n  Simulated cluster: ${simulator.url} (the portal's kubeconfig: ${shown(simulator.kubeconfig)})`);
    if (simulator.kubectlUrl) console.log(`  kubectl:           kubectl --server ${simulator.kubectlUrl} get pods -A`);
  }
  console.log(`\n  Press Ctrl-C to stop.\n${line}`);

  portal.process.on("exit", (code) => {
    if (stopping) return;
    console.error(`[demo] the portal exited unexpectedly (code ${code})`);
    stopAll().then(() => process.exit(1));
  });
}

main().catch((error) => {
  console.error(`[demo] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});

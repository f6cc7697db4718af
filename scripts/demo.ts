// `npm run demo`: the whole portal on one machine. Starts the Kubernetes API simulator with the demo
// fleet (unless KUBECONFIG points at a real cluster; `--cluster real`: the test control plane of
// scripts/lib/control-plane.ts with the same fleet, the portal on its ServiceAccount kubeconfig),
// prepares the database (PGlite under .data/ unless DATABASE_URL is set), builds and starts the
// production portal, and stops everything on Ctrl-C.
import { mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { demoBanner } from "./lib/demo-banner";
import { startControlPlane, type ControlPlane } from "./lib/control-plane";
import { isScenarioName } from "./lib/real-fleet";
import { buildPortalIfStale, dataDirOf, prepareDatabase, repoRoot, startPortal, startSimulator, type Simulator } from "./lib/stack";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "3000" },
    host: { type: "string", default: "127.0.0.1" },
    tenants: { type: "string", default: "40" },
    scenario: { type: "string", default: "demo" },
    // "sim" (the default: the embedded simulator, up in seconds) or "real" (kube-apiserver, etcd,
    // controllers and kwok on 127.0.0.1; the first run builds them, see README "Real control plane").
    cluster: { type: "string", default: "sim" },
  },
});
if (values.cluster !== "sim" && values.cluster !== "real") {
  console.error(`[demo] --cluster is "sim" or "real", not "${values.cluster}"`);
  process.exit(2);
}
if (!isScenarioName(values.scenario)) {
  console.error(`[demo] unknown scenario "${values.scenario}" (demo, healthy, degraded or scale)`);
  process.exit(2);
}
const scenario = values.scenario;

const dataDir = dataDirOf(process.env);
const portalLog = join(dataDir, "logs", "portal.log");
/** A path under the repository relative to it, any other as it is. */
const shown = (path: string) => (path.startsWith(`${repoRoot}/`) ? relative(repoRoot, path) : path);
mkdirSync(dataDir, { recursive: true });

let portal: Awaited<ReturnType<typeof startPortal>> | undefined;
let stopping = false;

async function main() {
  const env: NodeJS.ProcessEnv = { ...process.env, FLEETDECK_DATA_DIR: dataDir, FLEETDECK_DEMO: process.env.FLEETDECK_DEMO ?? "1" };
  let simulator: Simulator | undefined;
  let controlPlane: ControlPlane | undefined;
  if (values.cluster === "real") {
    console.log(`[demo] starting the real control plane with ${values.tenants} tenants (scenario ${values.scenario})…`);
    controlPlane = await startControlPlane({
      stateDir: join(dataDir, "cluster"),
      fleet: { scenario, tenants: Number(values.tenants) },
      log: (line) => console.log(`[cluster] ${line}`),
      onComponentExit: (component, code, signal) => {
        if (stopping) return;
        console.error(`[demo] ${component} exited (${signal ?? `code ${code}`}); its log: ${shown(join(controlPlane!.logsDir, `${component}.log`))}`);
        stopAll().then(() => process.exit(1));
      },
    });
    env.KUBECONFIG = controlPlane.portalKubeconfig;
  } else if (process.env.KUBECONFIG) {
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
    // The portal runs as its ServiceAccount (server/kube/rbac.yaml), as on a real cluster; kubectl gets the admin kubeconfig.
    env.KUBECONFIG = simulator.portalKubeconfig;
  }
  const stopAll = async () => {
    await portal?.stop();
    await simulator?.stop();
    await controlPlane?.stop();
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.log("\n[demo] stopping…");
      stopAll().then(() => process.exit(0));
    });
  }

  console.log(process.env.DATABASE_URL ? "[demo] preparing the PostgreSQL database…" : "[demo] preparing the embedded database (.data/pglite)…");
  await prepareDatabase(env, controlPlane?.fleet?.registry ?? simulator);
  buildPortalIfStale();
  console.log("[demo] starting the portal…");
  // The portal's own lines (server errors included) go to this terminal and, as JSON lines, to a file.
  portal = await startPortal(env, Number(values.port), values.host, { logFile: portalLog });

  const banner = demoBanner({
    portalUrl: portal.url,
    portalLog: shown(portalLog),
    simulator: simulator ? { url: simulator.url, portalKubeconfig: shown(simulator.portalKubeconfig), kubectlUrl: simulator.kubectlUrl } : undefined,
    realCluster: controlPlane
      ? {
          server: controlPlane.server,
          portalKubeconfig: shown(controlPlane.portalKubeconfig),
          kubectl: `${controlPlane.binDir}/kubectl --kubeconfig ${shown(controlPlane.adminKubeconfig)}`,
        }
      : undefined,
  });
  console.log(`\n${banner.join("\n")}`);

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

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildPortalIfStale, freePort, prepareDatabase, repoRoot, startPortal, startSimulator } from "../../scripts/lib/stack";
import { stackFile, type E2EStack } from "./stack-file";

// One stack for the whole run: the simulator with the demo fleet, a fresh embedded database and the
// production build of the portal. Set FLEETDECK_E2E_URL to run the specs against a portal you started.
export default async function globalSetup() {
  if (process.env.FLEETDECK_E2E_URL && process.env.FLEETDECK_E2E_EXTERNAL === "1") return;
  const dataDir = join(repoRoot, ".data", `e2e-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  // Build first, and stop what was started when a later step fails: a failed run must not leave a
  // simulator behind (one outlived a build that failed to type-check).
  buildPortalIfStale();
  const simulator = await startSimulator({ dataDir, tenants: 40, scenario: "demo", quiet: true });
  let portal: Awaited<ReturnType<typeof startPortal>>;
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FLEETDECK_DATA_DIR: dataDir,
      KUBECONFIG: simulator.kubeconfig,
      FLEETDECK_DEMO: "1",
      // metrics.spec.ts scrapes /metrics with it.
      METRICS_TOKEN: process.env.METRICS_TOKEN ?? "e2e-metrics-token-0123456789",
    };
    delete env.DATABASE_URL;
    await prepareDatabase(env, simulator);
    portal = await startPortal(env, await freePort(), "127.0.0.1", { quiet: !process.env.E2E_VERBOSE, logFile: join(dataDir, "portal.log") });
  } catch (error) {
    await simulator.stop();
    throw error;
  }
  const stack: E2EStack = {
    portalUrl: portal.url,
    simUrl: simulator.url,
    simToken: simulator.token,
    kubeconfig: simulator.kubeconfig,
    dataDir,
    pids: [portal.process.pid!, simulator.process.pid!],
  };
  writeFileSync(stackFile, JSON.stringify(stack));
  process.env.FLEETDECK_E2E_URL = portal.url;
}

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startControlPlane, type ControlPlane } from "../../scripts/lib/control-plane";
import { buildPortalIfStale, freePort, prepareDatabase, repoRoot, runScript, startPortal, startSimulator, type Portal } from "../../scripts/lib/stack";
import { realClusterProject } from "./projects";
import { stackFile, type E2EStack } from "./stack-file";

/** The real control plane of the "real-cluster" project, stopped by global-teardown (the same process). */
export const realStack: { controlPlane?: ControlPlane } = ((globalThis as { fleetdeckRealStack?: { controlPlane?: ControlPlane } }).fleetdeckRealStack ??= {});

/**
 * The "real-cluster" project's stack: the control plane with the demo fleet populated through
 * its API (the same 40 tenants, ids and problems as the simulator's demo), a database of its own
 * with that fleet's registry export, and a second portal on the same build reading the cluster as
 * its ServiceAccount (exactly server/kube/rbac.yaml), never the admin.
 */
async function startRealStack(baseEnv: NodeJS.ProcessEnv): Promise<{ portal: Portal; stack: NonNullable<E2EStack["real"]> }> {
  const dataDir = join(repoRoot, ".data", `e2e-real-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const controlPlane = await startControlPlane({ stateDir: join(dataDir, "cluster"), fleet: { scenario: "demo", tenants: 40 }, log: () => {} });
  realStack.controlPlane = controlPlane;
  const env: NodeJS.ProcessEnv = { ...baseEnv, FLEETDECK_DATA_DIR: dataDir, KUBECONFIG: controlPlane.portalKubeconfig };
  delete env.DATABASE_URL;
  await prepareDatabase(env);
  const exportFile = join(dataDir, "registry-export.json");
  writeFileSync(exportFile, JSON.stringify(controlPlane.fleet!.registry, null, 2));
  runScript("scripts/registry-import.ts", [exportFile, "--if-empty"], env);
  const portal = await startPortal(env, await freePort(), "127.0.0.1", { quiet: !process.env.E2E_VERBOSE, logFile: join(dataDir, "portal.log") });
  return { portal, stack: { portalUrl: portal.url, adminKubeconfig: controlPlane.adminKubeconfig, podLogsDir: controlPlane.podLogs.dir, dataDir } };
}

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
      // As its ServiceAccount with exactly server/kube/rbac.yaml, as on a real cluster (the specs' own calls use the admin kubeconfig).
      KUBECONFIG: simulator.portalKubeconfig,
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
  if (realClusterProject) {
    try {
      const real = await startRealStack({ ...process.env, FLEETDECK_DEMO: "1", METRICS_TOKEN: process.env.METRICS_TOKEN ?? "e2e-metrics-token-0123456789" });
      stack.real = real.stack;
      stack.pids.push(real.portal.process.pid!);
      process.env.FLEETDECK_E2E_REAL_URL = real.portal.url;
    } catch (error) {
      for (const pid of stack.pids) process.kill(pid, "SIGTERM");
      await realStack.controlPlane?.stop();
      throw error;
    }
  }
  writeFileSync(stackFile, JSON.stringify(stack));
  process.env.FLEETDECK_E2E_URL = portal.url;
}

// `npm run cluster`: a real Kubernetes control plane on 127.0.0.1 (scripts/lib/control-plane.ts)
// until Ctrl-C. The first run builds the binaries from controlplane/ (long, see the README); later
// runs start from the cache in seconds. State (certificates, etcd, kubeconfigs, logs) goes to
// .data/cluster/ (under FLEETDECK_DATA_DIR when set) and is replaced at every start.
import { parseArgs } from "node:util";

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { isScenarioName } from "./lib/real-fleet";
import { buildControlPlane, startControlPlane, type ControlPlane } from "./lib/control-plane";

const { values } = parseArgs({
  options: {
    "state-dir": { type: "string" },
    nodes: { type: "string", default: "3" },
    "etcd-compaction-interval": { type: "string" },
    "no-watch-cache": { type: "boolean", default: false },
    // A tenant fleet from sim/fleet's plan (scenario demo, healthy, degraded or scale), with its problems.
    fleet: { type: "string" },
    tenants: { type: "string", default: "40" },
    seed: { type: "string", default: "1" },
    "no-volume-provisioner": { type: "boolean", default: false },
    // Only make sure the binaries are in the cache (what `npm test` does before its suites).
    "build-only": { type: "boolean", default: false },
  },
});

if (values["build-only"]) {
  const { binDir, built } = await buildControlPlane();
  console.log(`[cluster] binaries ${built ? "built into" : "already in"} ${binDir}`);
  process.exit(0);
}

if (values.fleet !== undefined && !isScenarioName(values.fleet)) {
  console.error(`[cluster] --fleet takes a scenario name (demo, healthy, degraded, scale), not "${values.fleet}"`);
  process.exit(2);
}

let controlPlane: ControlPlane | undefined;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log("[cluster] stopping…");
    // Before the control plane is up, exiting is enough: its `exit` hook kills what already started.
    await controlPlane?.stop();
  }
  process.exit(code);
}

process.on("SIGINT", () => void shutdown(130));
process.on("SIGTERM", () => void shutdown(143));

try {
  controlPlane = await startControlPlane({
    stateDir: values["state-dir"],
    nodes: Number(values.nodes),
    etcdCompactionInterval: values["etcd-compaction-interval"],
    watchCache: !values["no-watch-cache"],
    volumeProvisioner: !values["no-volume-provisioner"],
    fleet: values.fleet ? { scenario: values.fleet, tenants: Number(values.tenants), seed: values.seed } : undefined,
    onComponentExit: (component, code, signal) => {
      console.error(`[cluster] ${component} exited (${signal ?? `code ${code}`}); its log: ${controlPlane!.logsDir}/${component}.log`);
      void shutdown(1);
    },
  });
} catch (error) {
  console.error(`[cluster] could not start: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
}

const { server, adminKubeconfig, portalKubeconfig, logsDir, binDir, fleet, stateDir } = controlPlane!;
let registryLine = "";
if (fleet) {
  const registryFile = join(stateDir, "registry-export.json");
  writeFileSync(registryFile, JSON.stringify(fleet.registry, null, 2));
  registryLine = `\nregistry export        ${registryFile}   (${fleet.plan.tenants.length} tenants, scenario ${fleet.plan.scenario}; npm run registry:import -- <file>)`;
}
console.log(`
Kubernetes API server  ${server}
admin kubeconfig       ${adminKubeconfig}   (system:masters, client certificate)
portal kubeconfig      ${portalKubeconfig}   (ServiceAccount fleetdeck/fleetdeck, server/kube/rbac.yaml)
component logs         ${logsDir}${registryLine}
kubectl                ${binDir}/kubectl --kubeconfig ${adminKubeconfig} get nodes

Ctrl-C stops every component.`);

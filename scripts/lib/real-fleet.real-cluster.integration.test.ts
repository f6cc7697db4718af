/**
 * The demo fleet on the real control plane (real-fleet.ts, volume-provisioner.ts, kubelet-front.ts)
 * read by the portal's own code through its ServiceAccount kubeconfig: the ClusterCache warms, the
 * TenantDirectory classifies every tenant exactly as it does on the simulator running the same plan
 * (same seed, same tenants), a PVC expansion completes through the test provisioner (and one on
 * the capped class is refused ControllerResizeInfeasible), and the
 * kubelet front serves a crash-looping pod's logs and previous logs (and follows new lines) through
 * `pods/log`. `npm test` runs it; alone (vitest.config.ts leaves it out of a plain run):
 *   FLEETDECK_REAL_CLUSTER=1 npx vitest run scripts/lib/real-fleet.real-cluster.integration.test.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PROBLEM_TENANTS } from "../../sim/fleet/scenarios";
import { startSimProcess, tenantRecordsOf, waitFor, type SimProcess } from "@/scripts/test-support/sim-process";
import { ClusterCache } from "@/server/kube/cluster-cache";
import { openPodLog } from "@/server/kube/pod-logs";
import { TenantDirectory } from "@/server/tenants/tenant-view";
import type { TenantRecord, TenantSummary } from "@/lib/tenants/types";
import { startControlPlane, type ControlPlane } from "./control-plane";

// The fewest tenants that hold every classic demo problem (scenarios.ts spreads ten over ten slots).
const TENANTS = 10;
const SEED = 7;
const TENANT_LABEL_KEY = "saasodoo.instance.id";

let controlPlane: ControlPlane;
let stateDir: string;
let sim: SimProcess;
const caches: ClusterCache[] = [];
const directories: TenantDirectory[] = [];
let real: TenantDirectory;
let simulated: TenantDirectory;
let portalKubeConfig: KubeConfig;

function kubeConfigFrom(file: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(file);
  return kubeConfig;
}

async function warmDirectory(kubeConfig: KubeConfig, loadRegistry: () => Promise<TenantRecord[]>): Promise<TenantDirectory> {
  const cache = new ClusterCache({
    name: "default",
    kubeConfig,
    // The API server bookmarks a quiet watch about once a minute: twice that is no silence.
    settings: { tenantLabelKey: TENANT_LABEL_KEY, watchSilenceTimeoutMs: 120_000 },
    volumeStatsIntervalMs: 1_000,
    backoff: { initialMs: 100, maxMs: 1_000 },
  });
  caches.push(cache);
  const directory = new TenantDirectory({ clusters: [cache], loadRegistry });
  directories.push(directory);
  cache.start();
  directory.start();
  expect(await cache.whenWarm(30_000)).toBe(true);
  await directory.ready();
  await waitFor("kubelet volume stats", () => cache.isSynced("volume-stats"), 30_000);
  return directory;
}

/** What the comparison holds the two to: the health and the kinds of problems, by database name. */
function classification(summaries: TenantSummary[]): Record<string, { health: string; problems: string[] }> {
  return Object.fromEntries(
    summaries
      .map((s) => [s.databaseName, { health: s.health, problems: [...new Set(s.problems.map((p) => p.kind))].sort() }])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
}

async function readAll(stream: Readable): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += String(chunk);
  return text;
}

beforeAll(async () => {
  stateDir = mkdtempSync(path.join(tmpdir(), "fleetdeck-real-fleet-"));
  const started = Date.now();
  controlPlane = await startControlPlane({ stateDir, nodes: 3, log: () => {}, fleet: { scenario: "demo", tenants: TENANTS, seed: SEED } });
  console.log(`[real-fleet] control plane with ${TENANTS} tenants up in ${Date.now() - started} ms`);
  sim = await startSimProcess({
    kubeconfigPath: path.join(stateDir, "sim.kubeconfig"),
    token: "real-fleet-test",
    tenants: TENANTS,
    args: ["--seed", String(SEED), "--scenario", "demo"],
  });
  portalKubeConfig = kubeConfigFrom(controlPlane.portalKubeconfig);
  const registry = tenantRecordsOf(controlPlane.fleet!.registry);
  [real, simulated] = await Promise.all([
    warmDirectory(portalKubeConfig, async () => registry),
    warmDirectory(kubeConfigFrom(path.join(stateDir, "sim.kubeconfig")), () => sim.registry()),
  ]);
}, 600_000);

afterAll(async () => {
  for (const directory of directories) directory.stop();
  for (const cache of caches) await cache.stop();
  sim?.stop();
  await controlPlane?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe("the demo fleet on the real control plane", () => {
  it("is classified by the portal's health code as the simulator's same fleet is", async () => {
    const realSummaries = real.summaries();
    // The orphan has no record, quartz-consulting (a record) no workload.
    expect(realSummaries).toHaveLength(TENANTS);
    const byName = new Map(realSummaries.map((s) => [s.databaseName, s]));
    // The named problems show as the portal names them (health.ts).
    expect(byName.get(DEMO_PROBLEM_TENANTS["crash-loop"])?.problems.map((p) => p.kind)).toContain("crash-loop");
    expect(byName.get(DEMO_PROBLEM_TENANTS["oom-killed"])?.problems.map((p) => p.kind)).toContain("oom-killed");
    expect(byName.get(DEMO_PROBLEM_TENANTS["image-pull"])?.problems.map((p) => p.kind)).toContain("image-pull");
    expect(byName.get(DEMO_PROBLEM_TENANTS.unschedulable)?.problems.map((p) => p.kind)).toContain("unschedulable");
    expect(byName.get(DEMO_PROBLEM_TENANTS["pvc-pending"])?.problems.map((p) => p.kind)).toContain("pvc-pending");
    expect(byName.get(DEMO_PROBLEM_TENANTS["volume-full"])?.problems.map((p) => p.kind)).toContain("volume-full");
    expect(byName.get(DEMO_PROBLEM_TENANTS["backup-failed"])?.problems.map((p) => p.kind)).toContain("backup-failed");
    expect(byName.get(DEMO_PROBLEM_TENANTS.stopped)?.health).toBe("stopped");
    expect(byName.get(DEMO_PROBLEM_TENANTS.suspended)?.health).toBe("suspended");
    expect(byName.get("quartz-consulting")?.health).toBe("missing");
    expect(real.orphans().map((o) => o.namespace)).toEqual([`tenant-${DEMO_PROBLEM_TENANTS.orphaned}`]);

    await waitFor("the simulator's directory to hold the same tenants", () => simulated.summaries().length === realSummaries.length, 10_000);
    expect(classification(realSummaries)).toEqual(classification(simulated.summaries()));
    expect(real.orphans().map((o) => o.namespace)).toEqual(simulated.orphans().map((o) => o.namespace));
  });

  it("expands a PVC through the test provisioner, as the expand-volume runbook verifies it", async () => {
    const tenant = real.summaries().find((s) => s.databaseName === DEMO_PROBLEM_TENANTS["volume-full"])!;
    const namespace = tenant.namespace!;
    const claim = `/api/v1/namespaces/${namespace}/persistentvolumeclaims/odoo-filestore`;
    const before = await controlPlane.api.get<{ spec: { volumeName: string }; status: { capacity: { storage: string } } }>(claim);
    const grown = `${Number.parseInt(before.status.capacity.storage, 10) * 2}Gi`;
    await controlPlane.api.mergePatch(claim, { spec: { resources: { requests: { storage: grown } } } });
    const detail = await waitFor(
      "the claim's capacity to reach the request with no resize under way",
      () => {
        const pvc = real.detail(tenant.id)?.pvcs.find((p) => p.name === "odoo-filestore");
        return pvc?.capacity === grown && !pvc.resizing ? pvc : undefined;
      },
      30_000,
    );
    expect(detail.requested).toBe(grown);
    const volume = await controlPlane.api.get<{ spec: { capacity: { storage: string } } }>(`/api/v1/persistentvolumes/${before.spec.volumeName}`);
    expect(volume.spec.capacity.storage).toBe(grown);
    const events = await controlPlane.api.get<{ items: { reason: string }[] }>(`/api/v1/namespaces/${namespace}/events`);
    expect(events.items.map((e) => e.reason)).toEqual(expect.arrayContaining(["Resizing", "FileSystemResizeRequired", "FileSystemResizeSuccessful"]));
    // The same bytes on a volume twice the size: the volume is no longer nearly full.
    await waitFor(
      "the kubelet summary to report the larger volume",
      () =>
        real
          .summaries()
          .find((s) => s.id === tenant.id)
          ?.problems.every((p) => p.kind !== "volume-full"),
      30_000,
    );
  }, 90_000);

  it("ends an expansion on ceph-rbd-capped ControllerResizeInfeasible, as the runbook's failure path expects", async () => {
    const namespace = real.summaries().find((s) => s.health === "healthy")!.namespace!;
    const claims = `/api/v1/namespaces/${namespace}/persistentvolumeclaims`;
    await controlPlane.api.call("POST", claims, {
      metadata: { name: "capped" },
      spec: { accessModes: ["ReadWriteOnce"], storageClassName: "ceph-rbd-capped", resources: { requests: { storage: "10Gi" } } },
    });
    type Claim = {
      status: {
        phase?: string;
        allocatedResourceStatuses?: Record<string, string>;
        conditions?: { type: string; message?: string }[];
        capacity?: Record<string, string>;
      };
    };
    await waitFor("the capped claim to bind", async () => (await controlPlane.api.get<Claim>(`${claims}/capped`)).status.phase === "Bound", 30_000);
    await controlPlane.api.mergePatch(`${claims}/capped`, { spec: { resources: { requests: { storage: "20Gi" } } } });
    const refused = await waitFor(
      "the resize to be refused",
      async () => {
        const claim = await controlPlane.api.get<Claim>(`${claims}/capped`);
        return claim.status.allocatedResourceStatuses?.storage === "ControllerResizeInfeasible" ? claim : undefined;
      },
      30_000,
    );
    expect(refused.status.capacity?.storage).toBe("10Gi");
    expect(refused.status.conditions?.map((c) => c.type)).toEqual(["ControllerResizeError"]);
    const events = await controlPlane.api.get<{ items: { reason: string; involvedObject: { name: string } }[] }>(`/api/v1/namespaces/${namespace}/events`);
    expect(events.items.filter((e) => e.involvedObject.name === "capped").map((e) => e.reason)).toContain("VolumeResizeFailed");
  }, 90_000);

  it("serves a crash-looping pod's logs, its previous container's and new lines to a follower, through pods/log", async () => {
    const tenant = real.summaries().find((s) => s.databaseName === DEMO_PROBLEM_TENANTS["crash-loop"])!;
    const pod = real.detail(tenant.id)!.pods[0];
    const current = await readAll(await openPodLog(portalKubeConfig, pod.namespace, pod.name, { container: "odoo" }));
    const previous = await readAll(await openPodLog(portalKubeConfig, pod.namespace, pod.name, { container: "odoo", previous: true }));
    for (const text of [current, previous]) expect(text).toContain("could not translate host name");

    const healthy = real.summaries().find((s) => s.health === "healthy")!;
    const healthyPod = real.detail(healthy.id)!.pods[0];
    const controller = new AbortController();
    const follow = await openPodLog(
      portalKubeConfig,
      healthyPod.namespace,
      healthyPod.name,
      { container: "odoo", follow: true, tailLines: 1 },
      { signal: controller.signal },
    );
    let followed = "";
    follow.on("data", (chunk) => (followed += String(chunk)));
    follow.on("error", () => {});
    const marker = `follow-marker-${Date.now()}`;
    controlPlane.podLogs.append(healthyPod.namespace, healthyPod.name, "odoo", [{ at: Date.now(), text: marker }]);
    await waitFor("the appended line to reach the follower", () => followed.includes(marker), 15_000);
    controller.abort();
    follow.destroy();
  }, 60_000);
});

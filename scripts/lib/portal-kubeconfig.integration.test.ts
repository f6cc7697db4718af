import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "./stack";

/**
 * The demo and the E2E portal run on the simulator as the portal's ServiceAccount: the kubeconfig
 * startSimulator writes carries a TokenRequest token bound to server/kube/rbac.yaml's roles.
 */
let dataDir: string;
let simulator: Simulator;
let core: CoreV1Api;
let apps: AppsV1Api;
let portalToken: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "fleetdeck-portal-kubeconfig-"));
  simulator = await startSimulator({ dataDir, tenants: 3, scenario: "healthy", quiet: true });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(simulator.portalKubeconfig);
  core = kubeConfig.makeApiClient(CoreV1Api);
  apps = kubeConfig.makeApiClient(AppsV1Api);
  portalToken = kubeConfig.getCurrentUser()?.token ?? "";
}, 60_000);

afterAll(async () => {
  await simulator?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("the portal's kubeconfig on the simulator", () => {
  it("reads what the portal's ClusterRole grants", async () => {
    expect((await core.listPodForAllNamespaces()).items.length).toBeGreaterThan(0);
    expect((await apps.listDeploymentForAllNamespaces()).items.length).toBeGreaterThanOrEqual(3);
  });

  it("is refused what it does not grant, with the API server's Forbidden", async () => {
    await expect(core.listNamespacedSecret({ namespace: "fleetdeck" })).rejects.toMatchObject({ code: 403 });
    await expect(core.deleteNamespace({ name: "fleetdeck" })).rejects.toMatchObject({ code: 403 });
    // The simulator's control API is the cluster admin's only.
    const control = await fetch(`${simulator.url}/_sim/registry`, { headers: { authorization: `Bearer ${portalToken}` } });
    expect(control.status).toBe(403);
  });
});

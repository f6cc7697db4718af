/**
 * The real control plane (control-plane.ts) end to end: an admin creates a namespace, a
 * Deployment, a Service and a Job and kwok's nodes run them; the portal's ServiceAccount, bound by
 * server/kube/rbac.yaml through the real RBAC authorizer, lists pods cluster-wide and is refused
 * Secrets, and a restarted API server answers an old resourceVersion with 410. `npm test` runs it;
 * alone (vitest.config.ts leaves it out of a plain run):
 *   FLEETDECK_REAL_CLUSTER=1 npx vitest run scripts/lib/control-plane.real-cluster.integration.test.ts
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { AppsV1Api, BatchV1Api, CoreV1Api, KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startControlPlane, type ControlPlane } from "./control-plane";

const NAMESPACE = "smoke";
let controlPlane: ControlPlane;
let stateDir: string;
let admin: { core: CoreV1Api; apps: AppsV1Api; batch: BatchV1Api };
let portal: { core: CoreV1Api; apps: AppsV1Api };

function clients(kubeconfigPath: string) {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  return { core: kubeConfig.makeApiClient(CoreV1Api), apps: kubeConfig.makeApiClient(AppsV1Api), batch: kubeConfig.makeApiClient(BatchV1Api) };
}

async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The first event of a raw watch, as the API server sends it. */
function firstWatchEvent(path: string): Promise<{ type: string; object: { kind?: string; code?: number; reason?: string; metadata?: { name?: string } } }> {
  return new Promise((done, fail) => {
    const ca = readFileSync(controlPlane.caFile);
    const req = request(`${controlPlane.server}${path}`, { ca, headers: { authorization: `Bearer ${controlPlane.adminToken}` } }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => {
        body += chunk.toString();
        if (body.includes("\n")) {
          req.destroy();
          done(JSON.parse(body.slice(0, body.indexOf("\n"))));
        }
      });
      res.on("end", () => fail(new Error(`watch ended without an event (${res.statusCode}): ${body}`)));
    });
    req.on("error", (error) => (error.message === "socket hang up" ? undefined : fail(error)));
    req.end();
  });
}

const isReady = (pod: V1Pod) => pod.status?.phase === "Running" && pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True");

beforeAll(async () => {
  stateDir = mkdtempSync(path.join(tmpdir(), "fleetdeck-control-plane-"));
  // With an empty cache this includes the first build (tens of minutes on two cores).
  controlPlane = await startControlPlane({ stateDir, nodes: 2, log: () => {} });
  admin = clients(controlPlane.adminKubeconfig);
  portal = clients(controlPlane.portalKubeconfig);
  await admin.core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
  // Pods cannot be admitted before the ServiceAccount controller made the namespace's `default`.
  await eventually("the default ServiceAccount", () => admin.core.readNamespacedServiceAccount({ name: "default", namespace: NAMESPACE }));
}, 3_600_000);

afterAll(async () => {
  await controlPlane?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe("real control plane", () => {
  it("runs a Deployment's pod to Ready on a kwok node and gives its Service a cluster IP", async () => {
    const labels = { app: "odoo", "saasodoo.instance.id": "smoke-1" };
    await admin.apps.createNamespacedDeployment({
      namespace: NAMESPACE,
      body: {
        metadata: { name: "odoo", labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: "odoo", image: "odoo:17.0", ports: [{ containerPort: 8069 }] }] } },
        },
      },
    });
    const service = await admin.core.createNamespacedService({
      namespace: NAMESPACE,
      body: { metadata: { name: "odoo" }, spec: { selector: labels, ports: [{ port: 8069, targetPort: 8069 }] } },
    });
    expect(service.spec?.clusterIP).toMatch(/^10\.96\./);

    const pod = await eventually("the Deployment's pod to be Ready", async () => {
      const pods = await admin.core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: "app=odoo" });
      return pods.items.find(isReady);
    });
    expect(pod.spec?.nodeName).toMatch(/^kwok-node-/);
    expect(pod.status?.podIP).toBeTruthy();
    const deployment = await eventually("the Deployment to be available", async () => {
      const read = await admin.apps.readNamespacedDeployment({ name: "odoo", namespace: NAMESPACE });
      return read.status?.availableReplicas === 1 ? read : undefined;
    });
    expect(deployment.status?.readyReplicas).toBe(1);
  });

  it("completes a Job (the Job controller and kwok's Succeeded stage)", async () => {
    await admin.batch.createNamespacedJob({
      namespace: NAMESPACE,
      body: {
        metadata: { name: "backup-now" },
        spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "backup", image: "busybox" }] } } },
      },
    });
    const job = await eventually("the Job to complete", async () => {
      const read = await admin.batch.readNamespacedJob({ name: "backup-now", namespace: NAMESPACE });
      return read.status?.conditions?.some((c) => c.type === "Complete" && c.status === "True") ? read : undefined;
    });
    expect(job.status?.succeeded).toBe(1);
    // The real API server fills in what the simulator is known to miss.
    expect(job.spec?.selector?.matchLabels?.["batch.kubernetes.io/controller-uid"]).toBe(job.metadata?.uid);
  });

  it("lets the portal's ServiceAccount list pods in every namespace", async () => {
    const pods = await portal.core.listPodForAllNamespaces();
    expect(pods.items.map((pod) => pod.metadata?.namespace)).toContain(NAMESPACE);
  });

  it("refuses the portal's ServiceAccount Secrets, with the authorizer's 403", async () => {
    await expect(portal.core.listSecretForAllNamespaces()).rejects.toMatchObject({ code: 403 });
    await expect(portal.core.listNamespacedSecret({ namespace: NAMESPACE })).rejects.toMatchObject({ code: 403 });
    const kubectl = controlPlane.kubectl(["get", "secrets", "-n", NAMESPACE], { kubeconfig: controlPlane.portalKubeconfig });
    expect(kubectl.status).not.toBe(0);
    expect(kubectl.stderr).toContain('secrets is forbidden: User "system:serviceaccount:fleetdeck:fleetdeck" cannot list resource "secrets"');
  });

  it("refuses the portal's ServiceAccount what rbac.yaml does not grant (creating a namespace)", async () => {
    await expect(portal.core.createNamespace({ body: { metadata: { name: "not-allowed" } } })).rejects.toMatchObject({ code: 403 });
  });

  it("answers a watch from a resourceVersion older than the restarted API server's watch cache with 410 Expired", async () => {
    const before = await admin.core.createNamespacedConfigMap({ namespace: NAMESPACE, body: { metadata: { name: "before-restart" } } });
    const oldVersion = before.metadata!.resourceVersion!;
    const watchPath = `/api/v1/namespaces/${NAMESPACE}/configmaps?watch=true&resourceVersion=${oldVersion}&timeoutSeconds=5`;
    await admin.core.createNamespacedConfigMap({ namespace: NAMESPACE, body: { metadata: { name: "after" } } });
    // Before the restart the watch cache still holds that history and replays from it.
    expect(await firstWatchEvent(watchPath)).toMatchObject({ type: "ADDED", object: { metadata: { name: "after" } } });

    await controlPlane.stopApiServer();
    await expect(admin.core.listNamespacedConfigMap({ namespace: NAMESPACE })).rejects.toThrow();
    await controlPlane.startApiServer();

    const event = await firstWatchEvent(watchPath);
    expect(event).toMatchObject({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired" } });
    // The rest of the control plane reconnected: the portal's token still works and pods still run.
    const pods = await portal.core.listPodForAllNamespaces();
    expect(pods.items.filter((pod) => pod.metadata?.namespace === NAMESPACE && isReady(pod))).not.toHaveLength(0);
  });
});

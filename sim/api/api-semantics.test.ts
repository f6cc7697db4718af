import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { Deployment } from "kubernetes-models/apps/v1";
import { Namespace, Pod, Service } from "kubernetes-models/v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "./test-cluster";

let c: TestCluster;
let core: CoreV1Api;
let apps: AppsV1Api;

beforeAll(async () => {
  c = await startTestCluster({ tenants: 3, historySize: 20 });
  core = c.kubeConfig.makeApiClient(CoreV1Api);
  apps = c.kubeConfig.makeApiClient(AppsV1Api);
});
afterAll(async () => {
  await c.close();
});

const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("API semantics", () => {
  it("serves objects created through the API that pass the official schemas", async () => {
    const ns = await core.createNamespace({ body: { metadata: { name: "schema-check" } } });
    new Namespace(JSON.parse(JSON.stringify(ns))).validate();
    const dep = await apps.createNamespacedDeployment({
      namespace: "schema-check",
      body: {
        metadata: { name: "web" },
        spec: {
          selector: { matchLabels: { app: "web" } },
          template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "odoo", image: "odoo:17.0" }] } },
        },
      },
    });
    const raw = await (await c.fetch("/apis/apps/v1/namespaces/schema-check/deployments/web")).json();
    new Deployment(raw).validate();
    expect(dep.spec!.replicas).toBe(1);
    expect(dep.spec!.strategy!.type).toBe("RollingUpdate");
    const pod = await (
      await c.fetch(
        "/api/v1/namespaces/schema-check/pods",
        json({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "busybox" }] } }),
      )
    ).json();
    new Pod(pod).validate();
    expect(pod.status.phase).toBe("Pending");
    const svc = await (
      await c.fetch(
        "/api/v1/namespaces/schema-check/services",
        json({ apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { selector: { app: "web" }, ports: [{ port: 8069 }] } }),
      )
    ).json();
    new Service(svc).validate();
    expect(svc.spec.clusterIP).toMatch(/^10\.96\./);
  });

  it("expires continue tokens older than the retained history with 410", async () => {
    const first = await core.listPodForAllNamespaces({ limit: 1 });
    for (let i = 0; i < 25; i++) await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: `churn-${i}` } } });
    const res = await c.fetch(`/api/v1/pods?limit=1&continue=${first.metadata!._continue}`);
    expect(res.status).toBe(410);
    expect((await res.json()).reason).toBe("Expired");
    expect((await c.fetch("/api/v1/pods?limit=1&continue=garbage")).status).toBe(400);
  });

  it("ends a watch after timeoutSeconds", async () => {
    const t0 = Date.now();
    const res = await c.fetch("/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1&resourceVersion=" + c.store.currentRv());
    await res.text();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });

  it("rejects a failing json-patch test and applies server-side apply as create-or-update of the applier's fields", async () => {
    const failing = await c.fetch("/api/v1/namespaces/default/configmaps/churn-0", {
      method: "PATCH",
      headers: { "content-type": "application/json-patch+json" },
      body: JSON.stringify([{ op: "test", path: "/metadata/name", value: "other" }]),
    });
    expect(failing.status).toBe(422);
    const apply = (data: Record<string, string>) =>
      c.fetch("/api/v1/namespaces/default/configmaps/applied?fieldManager=test", {
        method: "PATCH",
        headers: { "content-type": "application/apply-patch+yaml" },
        body: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n${Object.entries(data)
          .map(([k, v]) => `  ${k}: "${v}"`)
          .join("\n")}\n`,
      });
    expect((await apply({ a: "1" })).status).toBe(201);
    // The same manager's next configuration replaces its fields: `a`, left out, goes.
    const second = await (await apply({ b: "2" })).json();
    expect(second.data).toEqual({ b: "2" });
  });

  it("deletes a collection of pods by selector", async () => {
    const res = await c.fetch("/api/v1/namespaces/tenant-t0/pods?labelSelector=tier%3Deven&gracePeriodSeconds=0", { method: "DELETE" });
    expect(res.status).toBe(200);
    const list = await res.json();
    expect(list.kind).toBe("PodList");
    expect(list.items).toHaveLength(1);
    expect((await core.listNamespacedPod({ namespace: "tenant-t0" })).items).toHaveLength(0);
  });

  it("updates status through /status without touching spec, and keeps status on main updates", async () => {
    const name = "odoo-t1-00000001";
    const current = await apps.readNamespacedDeployment({ namespace: "tenant-t1", name });
    const updated = await apps.replaceNamespacedDeploymentStatus({
      namespace: "tenant-t1",
      name,
      body: { ...current, spec: { ...current.spec!, replicas: 9 }, status: { ...current.status, observedGeneration: 1, readyReplicas: 0 } },
    });
    expect(updated.spec!.replicas).toBe(1);
    expect(updated.status!.readyReplicas).toBe(0);
    const main = await apps.patchNamespacedDeployment(
      { namespace: "tenant-t1", name, body: { status: { readyReplicas: 5 } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(main.status!.readyReplicas).toBe(0);
  });

  it("refuses creation in a missing or terminating namespace and reports cluster-scoped misuse", async () => {
    const missing = await c.fetch("/api/v1/namespaces/nowhere/configmaps", json({ metadata: { name: "x" } }));
    expect(missing.status).toBe(404);
    const wrongKind = await c.fetch("/api/v1/namespaces/default/configmaps", json({ apiVersion: "v1", kind: "Pod", metadata: { name: "x" } }));
    expect(wrongKind.status).toBe(400);
    const nsScoped = await c.fetch("/api/v1/namespaces/default/nodes");
    expect(nsScoped.status).toBe(404);
  });
});

import { AppsV1Api, CoreV1Api, Log, PatchStrategy, Watch, setHeaderOptions, type ApiException, type V1Status } from "@kubernetes/client-node";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "./test-cluster";

let c: TestCluster;
let core: CoreV1Api;
let apps: AppsV1Api;

beforeAll(async () => {
  c = await startTestCluster({ tenants: 6, bookmarkIntervalMs: 200 });
  core = c.kubeConfig.makeApiClient(CoreV1Api);
  apps = c.kubeConfig.makeApiClient(AppsV1Api);
});
afterAll(async () => {
  await c.close();
});

// The tests read `body` only after checking the code, so a success returns an empty Status.
const status = async (p: Promise<unknown>): Promise<{ code: number; body: V1Status }> => {
  try {
    await p;
    return { code: 200, body: {} };
  } catch (err) {
    const { code, body } = err as ApiException<string | V1Status>;
    return { code, body: typeof body === "string" ? (JSON.parse(body) as V1Status) : body };
  }
};

describe("lists", () => {
  it("filters by label and field selectors", async () => {
    const odd = await core.listPodForAllNamespaces({ labelSelector: "tier=odd" });
    expect(odd.items.map((p) => p.metadata!.namespace)).toEqual(["tenant-t1", "tenant-t3", "tenant-t5"]);
    const setBased = await core.listPodForAllNamespaces({ labelSelector: "tier notin (odd),saasodoo.instance.name" });
    expect(setBased.items).toHaveLength(3);
    const none = await core.listPodForAllNamespaces({ labelSelector: "!tier" });
    expect(none.items).toHaveLength(0);
    const byNs = await core.listPodForAllNamespaces({ fieldSelector: "metadata.namespace=tenant-t2,status.phase=Running" });
    expect(byNs.items).toHaveLength(1);
    const bad = await status(core.listPodForAllNamespaces({ fieldSelector: "spec.bogus=1" }));
    expect(bad.code).toBe(400);
    expect(bad.body.message).toBe("field label not supported: spec.bogus");
  });

  it("pages with limit and continue", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 4, _continue: token });
      seen.push(...page.items.map((p) => p.metadata!.name!));
      token = page.metadata?._continue;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
  });

  it("serves kubectl tables", async () => {
    const res = await c.fetch("/api/v1/namespaces/tenant-t1/pods", { headers: { accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json" } });
    const table = await res.json();
    expect(table.kind).toBe("Table");
    expect(table.columnDefinitions.map((d: { name: string }) => d.name).slice(0, 5)).toEqual(["Name", "Ready", "Status", "Restarts", "Age"]);
    expect(table.rows[0].cells[2]).toBe("CrashLoopBackOff");
    expect(table.rows[0].object.kind).toBe("PartialObjectMetadata");
    const pvc = await (await c.fetch("/api/v1/persistentvolumeclaims", { headers: { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" } })).json();
    expect(pvc.rows[0].cells.slice(0, 6)).toEqual(["odoo-filestore", "Bound", "pvc-0", "10Gi", "RWO", "ceph-rbd"]);
  });
});

describe("watch", () => {
  it("streams initial ADDED, then changes, and resumes from a resourceVersion", async () => {
    const events: { type: string; name: string; rv: string }[] = [];
    const watch = new Watch(c.kubeConfig);
    const ctrl = await watch.watch(
      "/api/v1/namespaces/tenant-t0/configmaps",
      {},
      (type, obj) => events.push({ type, name: obj.metadata.name, rv: obj.metadata.resourceVersion }),
      () => {},
    );
    await core.createNamespacedConfigMap({ namespace: "tenant-t0", body: { metadata: { name: "cm-a" }, data: { a: "1" } } });
    const first = await core.createNamespacedConfigMap({ namespace: "tenant-t0", body: { metadata: { name: "cm-b" } } });
    await core.deleteNamespacedConfigMap({ namespace: "tenant-t0", name: "cm-a" });
    await waitFor(() => events.length >= 3);
    ctrl.abort();
    expect(events.map((e) => `${e.type} ${e.name}`)).toEqual(["ADDED cm-a", "ADDED cm-b", "DELETED cm-a"]);

    const resumed: string[] = [];
    const ctrl2 = await watch.watch(
      "/api/v1/namespaces/tenant-t0/configmaps",
      { resourceVersion: first.metadata!.resourceVersion },
      (type, obj) => resumed.push(`${type} ${obj.metadata.name}`),
      () => {},
    );
    await waitFor(() => resumed.length >= 1);
    ctrl2.abort();
    expect(resumed).toEqual(["DELETED cm-a"]);
  });

  it("applies selectors to watch events and sends bookmarks", async () => {
    const seen: string[] = [];
    const watch = new Watch(c.kubeConfig);
    const ctrl = await watch.watch(
      "/api/v1/namespaces/tenant-t0/configmaps",
      { labelSelector: "pick=yes", allowWatchBookmarks: true, resourceVersion: String(c.store.currentRv()) },
      (type, obj) => seen.push(`${type} ${obj.metadata?.name ?? ""}`),
      () => {},
    );
    await core.createNamespacedConfigMap({ namespace: "tenant-t0", body: { metadata: { name: "sel-1", labels: { pick: "no" } } } });
    await core.patchNamespacedConfigMap(
      { namespace: "tenant-t0", name: "sel-1", body: { metadata: { labels: { pick: "yes" } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    await core.patchNamespacedConfigMap(
      { namespace: "tenant-t0", name: "sel-1", body: { metadata: { labels: { pick: "no" } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    await waitFor(() => seen.includes("BOOKMARK ") && seen.filter((s) => s !== "BOOKMARK ").length >= 2);
    ctrl.abort();
    expect(seen.filter((s) => s !== "BOOKMARK ")).toEqual(["ADDED sel-1", "DELETED sel-1"]);
  });

  it("answers 410 Gone for a compacted resourceVersion, so informers relist", async () => {
    const small = await startTestCluster({ tenants: 1, historySize: 3 });
    try {
      const cc = small.kubeConfig.makeApiClient(CoreV1Api);
      for (let i = 0; i < 6; i++) await cc.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: `c${i}` } } });
      const errors: { type: string; obj: V1Status }[] = [];
      await new Watch(small.kubeConfig).watch(
        "/api/v1/configmaps",
        { resourceVersion: "1" },
        (type, obj) => errors.push({ type, obj }),
        () => {},
      );
      await waitFor(() => errors.length > 0);
      expect(errors[0].type).toBe("ERROR");
      expect(errors[0].obj.code).toBe(410);
      const list = await cc.listConfigMapForAllNamespaces();
      expect(Number(list.metadata!.resourceVersion)).toBe(small.store.currentRv());
    } finally {
      await small.close();
    }
  });
});

describe("writes", () => {
  it("applies each patch type", async () => {
    const ns = "tenant-t0";
    const name = "odoo-t0-00000000";
    const merge = await apps.patchNamespacedDeployment(
      { namespace: ns, name, body: { metadata: { annotations: { team: "a" } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(merge.metadata!.annotations!.team).toBe("a");
    const json = await apps.patchNamespacedDeployment({ namespace: ns, name, body: [{ op: "replace", path: "/metadata/annotations/team", value: "b" }] });
    expect(json.metadata!.annotations!.team).toBe("b");
    const smp = await apps.patchNamespacedDeployment(
      {
        namespace: ns,
        name,
        body: {
          spec: {
            template: {
              metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "now" } },
              spec: { containers: [{ name: "odoo", env: [{ name: "A", value: "1" }] }] },
            },
          },
        },
      },
      setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
    );
    const container = smp.spec!.template.spec!.containers[0]!;
    expect(container.image).toBe("odoo:17.0");
    expect(container.env).toEqual([{ name: "A", value: "1" }]);
    expect(smp.metadata!.generation).toBe(2);
    const wrongType = await c.fetch(`/apis/apps/v1/namespaces/${ns}/deployments/${name}`, {
      method: "PATCH",
      headers: { "content-type": "text/plain" },
      body: "{}",
    });
    expect(wrongType.status).toBe(415);
  });

  it("scales through the scale subresource", async () => {
    const scaled = await apps.patchNamespacedDeploymentScale(
      { namespace: "tenant-t2", name: "odoo-t2-00000002", body: { spec: { replicas: 0 } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(scaled.spec!.replicas).toBe(0);
    expect(scaled.status!.selector).toBe("saasodoo.instance.name=odoo-t2-00000002");
    const d = await apps.readNamespacedDeployment({ namespace: "tenant-t2", name: "odoo-t2-00000002" });
    expect(d.spec!.replicas).toBe(0);
  });

  it("honours dryRun on create, patch and delete", async () => {
    const rv = c.store.currentRv();
    await core.createNamespacedConfigMap({ namespace: "tenant-t3", body: { metadata: { name: "dry" } }, dryRun: "All" });
    await core.patchNamespacedPod(
      { namespace: "tenant-t3", name: "odoo-t3-00000003-abc12-x3", body: { metadata: { labels: { x: "y" } } }, dryRun: "All" },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedPod({ namespace: "tenant-t3", name: "odoo-t3-00000003-abc12-x3", dryRun: "All" });
    expect(c.store.currentRv()).toBe(rv);
    expect(c.store.get("core/configmaps", "tenant-t3", "dry")).toBeUndefined();
  });

  it("rejects stale updates with 409 and duplicates with AlreadyExists", async () => {
    const cm = await core.createNamespacedConfigMap({ namespace: "tenant-t4", body: { metadata: { name: "conf" }, data: { a: "1" } } });
    await core.replaceNamespacedConfigMap({ namespace: "tenant-t4", name: "conf", body: { ...cm, data: { a: "2" } } });
    const stale = await status(core.replaceNamespacedConfigMap({ namespace: "tenant-t4", name: "conf", body: { ...cm, data: { a: "3" } } }));
    expect(stale.code).toBe(409);
    expect(stale.body.reason).toBe("Conflict");
    const dup = await status(core.createNamespacedConfigMap({ namespace: "tenant-t4", body: { metadata: { name: "conf" } } }));
    expect(dup.body.reason).toBe("AlreadyExists");
  });

  it("deletes pods gracefully", async () => {
    const p = await core.deleteNamespacedPod({ namespace: "tenant-t5", name: "odoo-t5-00000005-abc12-x5" });
    expect(p.metadata!.deletionTimestamp).toBeDefined();
    const table = await (await c.fetch("/api/v1/namespaces/tenant-t5/pods", { headers: { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" } })).json();
    expect(table.rows[0].cells[2]).toBe("Terminating");
  });

  it("validates objects and PVC resizes like the apiserver", async () => {
    const bad = await status(
      apps.createNamespacedDeployment({
        namespace: "tenant-t0",
        body: {
          metadata: { name: "bad" },
          spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "c" } }, spec: { containers: [{ name: "x", image: "" }] } } },
        },
      }),
    );
    expect(bad.code).toBe(422);
    expect(bad.body.details?.causes?.map((c) => c.field)).toEqual(["spec.template.metadata.labels", "spec.template.spec.containers[0].image"]);
    const badName = await status(core.createNamespacedConfigMap({ namespace: "tenant-t0", body: { metadata: { name: "Not_Valid" } } }));
    expect(badName.code).toBe(422);
    const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
    const shrink = await status(
      core.patchNamespacedPersistentVolumeClaim(
        { namespace: "tenant-t0", name: "odoo-filestore", body: { spec: { resources: { requests: { storage: "5Gi" } } } } },
        merge,
      ),
    );
    expect(shrink.code).toBe(422);
    expect(shrink.body.message).toContain("field can not be less than previous value");
    const noExpand = await status(
      core.patchNamespacedPersistentVolumeClaim(
        { namespace: "tenant-t2", name: "odoo-filestore", body: { spec: { resources: { requests: { storage: "20Gi" } } } } },
        merge,
      ),
    );
    expect(noExpand.code).toBe(403);
    expect(noExpand.body.message).toContain("only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize");
    const grown = await core.patchNamespacedPersistentVolumeClaim(
      { namespace: "tenant-t0", name: "odoo-filestore", body: { spec: { resources: { requests: { storage: "20Gi" } } } } },
      merge,
    );
    expect(grown.spec!.resources!.requests!.storage).toBe("20Gi");
  });

  it("answers bad input with the apiserver's errors", async () => {
    const malformed = await c.fetch("/api/v1/namespaces/tenant-t0/configmaps", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{nope",
    });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).reason).toBe("BadRequest");
    const unknown = await c.fetch("/api/v1/namespaces/tenant-t0/widgets");
    expect(unknown.status).toBe(404);
    const verb = await c.fetch("/api/v1/namespaces/tenant-t0/configmaps", { method: "PUT", body: "{}" });
    expect(verb.status).toBe(405);
    const noNs = await status(core.createNamespacedConfigMap({ namespace: "missing", body: { metadata: { name: "x" } } }));
    expect(noNs.body.message).toBe('namespaces "missing" not found');
    const anon = await fetch(`${c.url}/api/v1/pods`);
    expect(anon.status).toBe(401);
    expect((await anon.json()).kind).toBe("Status");
  });
});

describe("logs", () => {
  it("requires a container when there are several, and reports a missing previous log", async () => {
    c.store.create("core/pods", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "two", namespace: "tenant-t0" },
      spec: {
        nodeName: "node-1",
        containers: [
          { name: "odoo", image: "odoo:17" },
          { name: "sidecar", image: "busybox" },
        ],
      },
    });
    const res = await c.fetch("/api/v1/namespaces/tenant-t0/pods/two/log");
    expect(res.status).toBe(400);
    expect((await res.json()).message).toBe("a container name must be specified for pod two, choose one of: [odoo sidecar]");
    const prev = await c.fetch("/api/v1/namespaces/tenant-t0/pods/odoo-t0-00000000-abc12-x0/log?previous=true");
    expect((await prev.json()).message).toBe('previous terminated container "odoo" in pod "odoo-t0-00000000-abc12-x0" not found');
  });

  it("follows new lines until the pod is deleted", async () => {
    const out = new PassThrough();
    let text = "";
    out.on("data", (d) => (text += d.toString()));
    const ns = "tenant-t2";
    const pod = "odoo-t2-00000002-abc12-x2";
    const ended = new Promise<void>((r) => out.on("finish", () => r()));
    await new Log(c.kubeConfig).log(ns, pod, "odoo", out, { follow: true, tailLines: 1 });
    await waitFor(() => text.includes("line 4"));
    c.logs.append(ns, pod, "odoo", "fresh line");
    await waitFor(() => text.includes("fresh line"));
    c.store.remove("core/pods", ns, pod);
    await ended;
    expect(text).toBe(`2026-01-01 00:00:04,000 1 INFO ${ns} odoo.modules.loading: line 4\nfresh line\n`);
  });
});

describe("faults and stats", () => {
  it("injects errors and throttling and counts requests", async () => {
    await c.fetch("/_sim/stats/reset", { method: "POST" });
    await c.fetch("/_sim/faults", { method: "POST", body: JSON.stringify({ throttle: { rate: 1, retryAfterSeconds: 3 } }) });
    const throttled = await c.fetch("/api/v1/pods");
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("3");
    await c.fetch("/_sim/faults", { method: "POST", body: JSON.stringify({ throttle: null, errorRate: 1, errorStatus: 503 }) });
    expect((await c.fetch("/api/v1/pods")).status).toBe(503);
    await c.fetch("/_sim/faults", { method: "DELETE" });
    expect((await c.fetch("/api/v1/pods")).status).toBe(200);
    const stats = await (await c.fetch("/_sim/stats")).json();
    expect(stats.byVerb.list).toBe(3);
    expect(stats.byResource.pods).toBe(3);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

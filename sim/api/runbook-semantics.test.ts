import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LogStore } from "../logs/log-store";
import { ObjectStore } from "../store/object-store";
import { startFleet, type RunningFleet } from "../fleet/index";
import { RUNBOOK_PROBLEM_TENANTS, DEMO_PROBLEM_TENANTS, RESIZE_INFEASIBLE_STORAGE_CLASS } from "../fleet/scenarios";
import { isPodReady, type Condition } from "../controllers/kube-util";
import { ApiServer } from "./server";

const TOKEN = "runbook-token";
let fleet: RunningFleet;
let api: ApiServer;
let store: ObjectStore;
let url: string;

beforeAll(async () => {
  store = new ObjectStore();
  const logs = new LogStore();
  fleet = startFleet({ store, logs, tenants: 32, scenario: "demo", seed: 7, speed: { lifecycle: 0.05, backoff: 0.01, slow: 0.01 } });
  api = new ApiServer({ store, logs, hooks: fleet.hooks, token: TOKEN });
  url = await api.listen(0, "127.0.0.1");
});
afterAll(async () => {
  fleet.stop();
  await api.close();
});

const call = (path: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", ...(init.headers ?? {}) } });
const post = (path: string, body: unknown) => call(path, { method: "POST", body: JSON.stringify(body) });

async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const nsOf = (db: string) => `tenant-${db}`;
const tenantOf = (db: string) => fleet.plan.tenants.find((t) => t.databaseName === db)!;
const odooPods = (ns: string) => store.list("core/pods", ns).filter((p) => p.metadata.labels?.["app.kubernetes.io/name"] === "odoo");
const eviction = (name: string, deleteOptions?: unknown) => ({
  apiVersion: "policy/v1",
  kind: "Eviction",
  metadata: { name },
  ...(deleteOptions ? { deleteOptions } : {}),
});

describe("runbook API semantics", () => {
  it("serves policy/v1 poddisruptionbudgets with discovery, table columns and controller status", async () => {
    const res = await call("/apis/policy/v1");
    const list = (await res.json()) as { resources: { name: string; kind: string; verbs: string[]; group?: string }[] };
    expect(list.resources.find((r) => r.name === "poddisruptionbudgets")).toMatchObject({ kind: "PodDisruptionBudget" });
    const v1 = (await (await call("/api/v1")).json()) as { resources: { name: string; kind: string; verbs: string[]; group?: string }[] };
    expect(v1.resources.find((r) => r.name === "pods/eviction")).toMatchObject({ kind: "Eviction", group: "policy", version: "v1", verbs: ["create"] });

    const ns = nsOf(RUNBOOK_PROBLEM_TENANTS["eviction-blocked"]);
    const table = (await (
      await call(`/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`, { headers: { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" } })
    ).json()) as {
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[] }[];
    };
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(["Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age"]);
    expect(table.rows[0]!.cells.slice(0, 4)).toEqual(["odoo-pdb", "1", "N/A", 0]);

    // A new budget gets its status from the disruption controller.
    const healthy = fleet.plan.tenants.find((t) => !t.problem)!;
    const hns = nsOf(healthy.databaseName);
    const created = await post(`/apis/policy/v1/namespaces/${hns}/poddisruptionbudgets`, {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "odoo-max" },
      spec: { maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "odoo" } } },
    });
    expect(created.status).toBe(201);
    const pdb = await until("pdb status", () => {
      const p = store.get("policy/poddisruptionbudgets", hns, "odoo-max");
      return p?.status?.observedGeneration === 1 && p.status.expectedPods === 1 && p;
    });
    expect(pdb.status).toMatchObject({ currentHealthy: 1, desiredHealthy: 0, disruptionsAllowed: 1, expectedPods: 1 });
    expect(pdb.status.conditions[0]).toMatchObject({ type: "DisruptionAllowed", status: "True", reason: "SufficientPods" });
    expect((await call(`/apis/policy/v1/namespaces/${hns}/poddisruptionbudgets/odoo-max`, { method: "DELETE" })).status).toBe(200);
  });

  it("refuses an eviction the budget forbids with 429, dry-run changes nothing, and counts pods/eviction", async () => {
    const ns = nsOf(RUNBOOK_PROBLEM_TENANTS["eviction-blocked"]);
    const pod = await until("ready pod", () => odooPods(ns).find(isPodReady));
    const name = pod.metadata.name;
    await call("/_sim/stats/reset", { method: "POST" });
    const res = await post(`/api/v1/namespaces/${ns}/pods/${name}/eviction`, eviction(name));
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: "TooManyRequests",
      details: { causes: [{ reason: "DisruptionBudget", message: "The disruption budget odoo-pdb needs 1 healthy pods and has 1 currently" }] },
      code: 429,
    });
    const stats = (await (await call("/_sim/stats")).json()) as { byVerbResource: Record<string, number> };
    expect(stats.byVerbResource["create pods/eviction"]).toBe(1);

    // Another budget on the same pods: more than one is a 500, as upstream.
    store.create("policy/poddisruptionbudgets", {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "second", namespace: ns },
      spec: { maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "odoo" } } },
    });
    const two = await post(`/api/v1/namespaces/${ns}/pods/${name}/eviction`, eviction(name));
    expect(two.status).toBe(500);
    expect(((await two.json()) as { message: string }).message).toBe(
      "Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
    );
    store.remove("policy/poddisruptionbudgets", ns, "second");

    // With room in the budget: dry-run answers 201 and leaves pod and budget alone.
    store.mutate("policy/poddisruptionbudgets", ns, "odoo-pdb", (d) => void (d.spec.minAvailable = 0));
    await until("budget allows one", () => store.get("policy/poddisruptionbudgets", ns, "odoo-pdb")!.status.disruptionsAllowed === 1);
    const rv = store.get("core/pods", ns, name)!.metadata.resourceVersion;
    const dry = await post(`/api/v1/namespaces/${ns}/pods/${name}/eviction?dryRun=All`, eviction(name));
    expect(dry.status).toBe(201);
    expect(await dry.json()).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
    const dry2 = await post(`/api/v1/namespaces/${ns}/pods/${name}/eviction`, eviction(name, { dryRun: ["All"] }));
    expect(dry2.status).toBe(201);
    expect(store.get("core/pods", ns, name)!.metadata.resourceVersion).toBe(rv);
    expect(store.get("policy/poddisruptionbudgets", ns, "odoo-pdb")!.status.disruptionsAllowed).toBe(1);

    const stale = await post(
      `/api/v1/namespaces/${ns}/pods/${name}/eviction`,
      eviction(name, { preconditions: { uid: "00000000-0000-0000-0000-000000000000" } }),
    );
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { message: string }).message).toBe(
      `Operation cannot be fulfilled on Pod "${name}": the UID in the precondition (00000000-0000-0000-0000-000000000000) does not match the UID in record (${pod.metadata.uid}). The object might have been deleted and then recreated`,
    );
    const missing = await post(`/api/v1/namespaces/${ns}/pods/nope/eviction`, eviction("nope"));
    expect(missing.status).toBe(404);

    const real = await post(`/api/v1/namespaces/${ns}/pods/${name}/eviction`, eviction(name, { preconditions: { uid: pod.metadata.uid } }));
    expect(real.status).toBe(201);
    const gone = store.get("core/pods", ns, name);
    expect(!gone || !!gone.metadata.deletionTimestamp).toBe(true);
    await until("budget charged", () => store.get("policy/poddisruptionbudgets", ns, "odoo-pdb")!.status.currentHealthy === 0);
    store.mutate("policy/poddisruptionbudgets", ns, "odoo-pdb", (d) => void (d.spec.minAvailable = 1));
  });

  it("refuses pods over quota with 403 and shows FailedCreate on the ReplicaSet and Deployment", async () => {
    const t = tenantOf(RUNBOOK_PROBLEM_TENANTS["quota-blocked"]);
    const ns = nsOf(t.databaseName);
    expect(store.get("core/resourcequotas", ns, "tenant-quota")!.spec.hard.pods).toBe("0");
    const direct = await post(`/api/v1/namespaces/${ns}/pods?dryRun=All`, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "probe" },
      spec: { containers: [{ name: "c", image: "busybox:1.36" }] },
    });
    expect(direct.status).toBe(403);
    expect(await direct.json()).toMatchObject({
      reason: "Forbidden",
      code: 403,
      message: 'pods "probe" is forbidden: exceeded quota: tenant-quota, requested: pods=1, used: pods=0, limited: pods=0',
    });
    await call("/_sim/stats/reset", { method: "POST" });
    const scaled = await call(`/apis/apps/v1/namespaces/${ns}/deployments/${t.instanceName}/scale`, {
      method: "PATCH",
      headers: { "content-type": "application/merge-patch+json" },
      body: JSON.stringify({ spec: { replicas: 1 } }),
    });
    expect(scaled.status).toBe(200);
    const stats = (await (await call("/_sim/stats")).json()) as { byVerbResource: Record<string, number> };
    expect(stats.byVerbResource["patch deployments/scale"]).toBe(1);
    const d = await until("ReplicaFailure", () => {
      const d = store.get("apps/deployments", ns, t.instanceName)!;
      return (d.status?.conditions ?? []).find((c: Condition) => c.type === "ReplicaFailure") && d;
    });
    const failure = d.status.conditions.find((c: Condition) => c.type === "ReplicaFailure");
    expect(failure).toMatchObject({ status: "True", reason: "FailedCreate" });
    expect(failure.message).toMatch(/^pods ".+" is forbidden: exceeded quota: tenant-quota, requested: pods=1, used: pods=0, limited: pods=0$/);
    const ev = store.list("core/events", ns).find((e) => e.reason === "FailedCreate")!;
    expect(ev.type).toBe("Warning");
    expect(ev.message).toBe(`Error creating: ${failure.message}`);
    expect(odooPods(ns)).toHaveLength(0);
    // Raising the quota lets the controller's retry succeed, and the condition goes.
    store.mutate("core/resourcequotas", ns, "tenant-quota", (q) => void (q.spec.hard.pods = "10"));
    await until("pod created", () => odooPods(ns).length === 1, 10_000);
    await until(
      "condition cleared",
      () => !(store.get("apps/deployments", ns, t.instanceName)!.status.conditions ?? []).some((c: Condition) => c.type === "ReplicaFailure"),
      10_000,
    );
  });

  it("expands a 95% full volume through the resize statuses, and the stats summary follows", async () => {
    const ns = nsOf(RUNBOOK_PROBLEM_TENANTS["volume-expandable"]);
    const pvc0 = store.get("core/persistentvolumeclaims", ns, "odoo-filestore")!;
    expect(pvc0.spec.storageClassName).toBe("ceph-rbd");
    const pod = odooPods(ns).find((p) => p.spec.nodeName)!;
    const summary = async () =>
      (
        (await (await call(`/api/v1/nodes/${pod.spec.nodeName}/proxy/stats/summary`)).json()) as {
          pods: { podRef: { namespace: string }; volume?: { pvcRef?: { name: string }; capacityBytes: number; usedBytes: number }[] }[];
        }
      ).pods
        .find((p) => p.podRef.namespace === ns)!
        .volume!.find((v) => v.pvcRef?.name === "odoo-filestore")!;
    const before = await summary();
    expect(before.usedBytes / before.capacityBytes).toBeGreaterThan(0.94);
    const grown = `${parseInt(pvc0.spec.resources.requests.storage, 10) * 2}Gi`;
    const statuses = new Set<string>();
    const conditions = new Set<string>();
    const off = store.on((ev) => {
      if (ev.resource !== "core/persistentvolumeclaims" || ev.object.metadata.namespace !== ns) return;
      const s = ev.object.status?.allocatedResourceStatuses?.storage;
      if (s) statuses.add(s);
      for (const c of ev.object.status?.conditions ?? []) conditions.add(c.type);
    });
    const res = await call(`/api/v1/namespaces/${ns}/persistentvolumeclaims/odoo-filestore`, {
      method: "PATCH",
      headers: { "content-type": "application/merge-patch+json" },
      body: JSON.stringify({ spec: { resources: { requests: { storage: grown } } } }),
    });
    expect(res.status).toBe(200);
    const done = await until("resized", () => {
      const c = store.get("core/persistentvolumeclaims", ns, "odoo-filestore")!;
      return c.status.capacity.storage === grown && c;
    });
    off();
    expect([...statuses]).toEqual(["ControllerResizeInProgress", "NodeResizePending", "NodeResizeInProgress"]);
    expect([...conditions]).toEqual(["Resizing", "FileSystemResizePending"]);
    expect(done.status.conditions).toBeUndefined();
    expect(done.status.allocatedResourceStatuses).toBeUndefined();
    expect(done.status.allocatedResources.storage).toBe(grown);
    const after = await summary();
    expect(after.capacityBytes).toBeGreaterThan(before.capacityBytes * 1.9);
    expect(after.usedBytes / after.capacityBytes).toBeLessThan(0.5);
  });

  it("ends an expansion on the capped class ControllerResizeInfeasible with a VolumeResizeFailed event", async () => {
    const ns = nsOf(RUNBOOK_PROBLEM_TENANTS["resize-infeasible"]);
    const pvc = store.get("core/persistentvolumeclaims", ns, "odoo-filestore")!;
    expect(pvc.spec.storageClassName).toBe(RESIZE_INFEASIBLE_STORAGE_CLASS);
    expect(store.get("storage.k8s.io/storageclasses", undefined, RESIZE_INFEASIBLE_STORAGE_CLASS)!.allowVolumeExpansion).toBe(true);
    const before = pvc.status.capacity.storage;
    store.mutate("core/persistentvolumeclaims", ns, "odoo-filestore", (d) => void (d.spec.resources.requests.storage = "500Gi"));
    const failed = await until("infeasible", () => {
      const c = store.get("core/persistentvolumeclaims", ns, "odoo-filestore")!;
      return c.status.allocatedResourceStatuses?.storage === "ControllerResizeInfeasible" && c;
    });
    expect(failed.status.capacity.storage).toBe(before);
    const cond = failed.status.conditions.find((c: Condition) => c.type === "ControllerResizeError");
    expect(cond.status).toBe("True");
    expect(cond.message).toContain(`resize volume "${pvc.spec.volumeName}" by resizer "rbd.csi.ceph.com" failed`);
    const ev = store.list("core/events", ns).find((e) => e.reason === "VolumeResizeFailed")!;
    expect(ev.type).toBe("Warning");
    expect(ev.message).toBe(cond.message);
  });

  it("keeps the stuck pod Terminating until a force delete with the uid precondition", async () => {
    const ns = nsOf(RUNBOOK_PROBLEM_TENANTS["stuck-terminating"]);
    const stuck = odooPods(ns).find((p) => p.metadata.deletionTimestamp)!;
    expect(stuck).toBeDefined();
    expect(odooPods(ns).filter((p) => !p.metadata.deletionTimestamp)).toHaveLength(1);
    const path = `/api/v1/namespaces/${ns}/pods/${stuck.metadata.name}`;
    // A graceful delete again changes nothing: the kubelet never finishes it (200 with the pod, as
    // handlers/delete.go answers: 202 only after orphanDependents=false).
    expect((await call(path, { method: "DELETE" })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(store.get("core/pods", ns, stuck.metadata.name)).toBeDefined();
    const wrong = await call(path, { method: "DELETE", body: JSON.stringify({ gracePeriodSeconds: 0, preconditions: { uid: "x-1" } }) });
    expect(wrong.status).toBe(409);
    expect(((await wrong.json()) as { message: string }).message).toBe(
      `Operation cannot be fulfilled on Pod "${stuck.metadata.name}": the UID in the precondition (x-1) does not match the UID in record (${stuck.metadata.uid}). The object might have been deleted and then recreated`,
    );
    // With a body, the options are the body's alone (the query's would be ignored, as on a real server).
    const force = await call(path, { method: "DELETE", body: JSON.stringify({ gracePeriodSeconds: 0, preconditions: { uid: stuck.metadata.uid } }) });
    expect(force.status).toBe(200);
    expect(store.get("core/pods", ns, stuck.metadata.name)).toBeUndefined();
  });

  it("runs a job created from the backup cronjob like the controller's, with logs, and fails it for a failing tenant", async () => {
    const run = async (db: string) => {
      const ns = nsOf(db);
      const cj = store.get("batch/cronjobs", ns, "odoo-backup")!;
      const name = `odoo-backup-manual-${db.length}`;
      const res = await post(`/apis/batch/v1/namespaces/${ns}/jobs`, {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: {
          name,
          annotations: { "cronjob.kubernetes.io/instantiate": "manual" },
          labels: cj.spec.jobTemplate.metadata?.labels,
          ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: "odoo-backup", uid: cj.metadata.uid, controller: true }],
        },
        spec: cj.spec.jobTemplate.spec,
      });
      expect(res.status).toBe(201);
      const job = await until(
        `job ${name} finished`,
        () => {
          const j = store.get("batch/jobs", ns, name)!;
          return (j.status?.conditions ?? []).some((c: Condition) => (c.type === "Complete" || c.type === "Failed") && c.status === "True") && j;
        },
        10_000,
      );
      expect(job.metadata.labels["job-name"]).toBe(name);
      const pod = store.list("core/pods", ns).find((p) => p.metadata.ownerReferences?.[0]?.uid === job.metadata.uid)!;
      const log = await (await call(`/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/log?container=backup`)).text();
      return { job, log };
    };
    await call("/_sim/stats/reset", { method: "POST" });
    const ok = await run(fleet.plan.tenants.find((t) => !t.problem)!.databaseName);
    expect(ok.job.status.succeeded).toBe(1);
    expect(ok.job.status.conditions.find((c: Condition) => c.type === "Complete").status).toBe("True");
    expect(ok.log.length).toBeGreaterThan(0);
    const stats = (await (await call("/_sim/stats")).json()) as { byVerbResource: Record<string, number> };
    expect(stats.byVerbResource["create jobs"]).toBe(1);

    const bad = await run(DEMO_PROBLEM_TENANTS["backup-failed"]);
    expect(bad.job.status.failed).toBeGreaterThan(0);
    expect(bad.job.status.conditions.find((c: Condition) => c.type === "Failed")).toMatchObject({ status: "True", reason: "BackoffLimitExceeded" });
    expect(bad.log.length).toBeGreaterThan(0);
  });
});

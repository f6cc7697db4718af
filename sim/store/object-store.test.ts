import { describe, expect, it } from "vitest";
import { ApiError } from "./api-error";
import { ObjectStore } from "./object-store";
import type { KubeObject, StoreEvent } from "./types";

function pod(name: string, ns = "default", extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: { nodeName: "node-1", containers: [{ name: "odoo", image: "odoo:17.0" }] },
    ...extra,
  };
}

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof ApiError ? err.code : -1;
  }
  return undefined;
}

describe("ObjectStore", () => {
  it("creates with uid, rv, generation and frozen snapshots", () => {
    const store = new ObjectStore();
    const p = store.create("core/pods", pod("a"));
    expect(p.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(p.metadata.resourceVersion).toBe("1");
    expect(p.metadata.generation).toBe(1);
    expect(p.metadata.creationTimestamp).toMatch(/Z$/);
    expect(Object.isFrozen(p.spec.containers[0])).toBe(true);
    expect(store.get("core/pods", "default", "a")).toBe(p);
    expect(codeOf(() => store.create("core/pods", pod("a")))).toBe(409);
    expect(codeOf(() => store.create("core/pods", pod("Bad_Name")))).toBe(422);
  });

  it("resolves generateName and dry-run stores nothing", () => {
    const store = new ObjectStore();
    const p = store.create("core/pods", { ...pod(""), metadata: { name: "", generateName: "odoo-" } });
    expect(p.metadata.name).toMatch(/^odoo-[a-z0-9]{5}$/);
    const dry = store.create("core/pods", pod("b"), { dryRun: true });
    expect(dry.metadata.name).toBe("b");
    expect(store.get("core/pods", "default", "b")).toBeUndefined();
    expect(store.currentRv()).toBe(1);
  });

  it("updates with conflict detection, generation bumps and status separation", () => {
    const store = new ObjectStore();
    const d = store.create("apps/deployments", {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "t" },
      spec: { replicas: 1 },
      status: { replicas: 0 },
    });
    const stale = { ...d, spec: { replicas: 2 }, metadata: { ...d.metadata, resourceVersion: "0" } };
    expect(codeOf(() => store.update("apps/deployments", stale))).toBe(409);
    const up = store.update("apps/deployments", { ...d, spec: { replicas: 3 }, status: { replicas: 99 } });
    expect(up.metadata.generation).toBe(2);
    expect(up.status.replicas).toBe(0);
    const st = store.update("apps/deployments", { ...up, status: { replicas: 3 } }, { subresource: "status" });
    expect(st.status.replicas).toBe(3);
    expect(st.metadata.generation).toBe(2);
    // Label changes do not bump generation.
    const lab = store.mutate("apps/deployments", "t", "web", (x) => {
      x.metadata.labels = { a: "b" };
    });
    expect(lab?.metadata.generation).toBe(2);
    const before = store.currentRv();
    store.mutate("apps/deployments", "t", "web", () => {});
    expect(store.currentRv()).toBe(before);
  });

  it("lists sorted per namespace and across namespaces", () => {
    const store = new ObjectStore();
    store.create("core/pods", pod("b", "y"));
    store.create("core/pods", pod("a", "y"));
    store.create("core/pods", pod("z", "x"));
    expect(store.list("core/pods").map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(["x/z", "y/a", "y/b"]);
    expect(store.list("core/pods", "y").map((p) => p.metadata.name)).toEqual(["a", "b"]);
    store.remove("core/pods", "y", "a");
    expect(store.list("core/pods", "y").map((p) => p.metadata.name)).toEqual(["b"]);
  });

  it("deletes pods gracefully and other kinds at once, emitting events", () => {
    const store = new ObjectStore();
    const events: StoreEvent[] = [];
    store.on((e) => events.push(e));
    store.create("core/pods", pod("a"));
    const t = store.delete("core/pods", "default", "a");
    expect(t.metadata.deletionTimestamp).toBeDefined();
    expect(t.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(store.get("core/pods", "default", "a")).toBeDefined();
    store.remove("core/pods", "default", "a");
    expect(store.get("core/pods", "default", "a")).toBeUndefined();
    store.create("core/pods", pod("now"));
    store.delete("core/pods", "default", "now", { gracePeriodSeconds: 0 });
    expect(store.get("core/pods", "default", "now")).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(["ADDED", "MODIFIED", "DELETED", "ADDED", "DELETED"]);
    expect(codeOf(() => store.delete("core/pods", "default", "nope"))).toBe(404);
  });

  it("garbage-collects dependents unless orphaned", async () => {
    const store = new ObjectStore();
    const rs = store.create("apps/replicasets", { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "rs", namespace: "t" }, spec: {} });
    const owner = [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: rs.metadata.uid!, controller: true }];
    store.create("core/pods", pod("p1", "t", { metadata: { name: "p1", namespace: "t", ownerReferences: owner } }));
    store.create("core/pods", { ...pod("p2", "t"), metadata: { name: "p2", namespace: "t", ownerReferences: owner }, spec: { containers: [] } });
    store.delete("apps/replicasets", "t", "rs");
    await new Promise((r) => setImmediate(r));
    expect(store.get("core/pods", "t", "p1")?.metadata.deletionTimestamp).toBeDefined();
    expect(store.get("core/pods", "t", "p2")).toBeUndefined();

    const rs2 = store.create("apps/replicasets", { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "rs2", namespace: "t" }, spec: {} });
    store.create("core/pods", {
      ...pod("p3", "t"),
      metadata: { name: "p3", namespace: "t", ownerReferences: [{ ...owner[0]!, name: "rs2", uid: rs2.metadata.uid! }] },
    });
    store.delete("apps/replicasets", "t", "rs2", { propagationPolicy: "Orphan" });
    await new Promise((r) => setImmediate(r));
    expect(store.get("core/pods", "t", "p3")?.metadata.ownerReferences).toBeUndefined();
  });

  it("keeps a bounded history and reports gone for compacted versions", () => {
    const store = new ObjectStore({ historySize: 5 });
    for (let i = 0; i < 12; i++) store.create("core/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `c${i}`, namespace: "d" } });
    expect(store.eventsSince(2)).toBe("gone");
    const since = store.eventsSince(9);
    expect(since).not.toBe("gone");
    expect((since as StoreEvent[]).map((e) => e.rv)).toEqual([10, 11, 12]);
    expect(store.eventsSince(12)).toEqual([]);
    expect(store.eventsSince(9, "core/pods")).toEqual([]);
  });

  it("removes an object marked for deletion once its finalizers are cleared", () => {
    const store = new ObjectStore();
    store.create("core/persistentvolumeclaims", {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data", namespace: "t", finalizers: ["kubernetes.io/pvc-protection"] },
      spec: {},
    });
    const marked = store.delete("core/persistentvolumeclaims", "t", "data");
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    store.mutate("core/persistentvolumeclaims", "t", "data", (d) => {
      d.metadata.finalizers = [];
    });
    expect(store.get("core/persistentvolumeclaims", "t", "data")).toBeUndefined();
  });
});

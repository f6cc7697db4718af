import { describe, expect, it } from "vitest";
import { ClusterStore, type CacheChange } from "./cluster-store";
import { TENANT_LABEL, tenantFixture, type Raw } from "@/scripts/test-support/cluster-fixtures";
import { KubeError } from "./kube-error";
import { slimmers } from "./kinds";

const fixture = tenantFixture("indexme");
const raw = (resource: string) => fixture.objects.find((o) => o.resource === resource)!.raw as Raw;

/** A copy of the fixture's pod under another name (and, optionally, other labels). */
function podNamed(name: string, labels?: Record<string, string>) {
  const pod = raw("pods");
  return slimmers.pods({ ...pod, metadata: { ...pod.metadata, name, labels: labels ?? pod.metadata.labels } });
}

function eventNamed(name: string, lastTimestamp: string) {
  const event = raw("events");
  return slimmers.events({ ...event, metadata: { ...event.metadata, name }, lastTimestamp });
}

const names = (objects: { metadata: { name: string } }[]) => objects.map((o) => o.metadata.name).sort();

function store(coalesceMs = 0) {
  return new ClusterStore({ tenantLabelKey: TENANT_LABEL, feeds: ["namespaces", "pods", "events"], coalesceMs });
}

describe("ClusterStore", () => {
  it("indexes by namespace and tenant; unlabelled objects inherit the namespace's tenant, even when it arrives later", () => {
    const s = store();
    s.apply("events", { type: "sync", items: [slimmers.events(raw("events"))], resourceVersion: "1" });
    expect(s.listForTenant("events", fixture.record.id)).toHaveLength(0);
    s.apply("namespaces", { type: "sync", items: [slimmers.namespaces(raw("namespaces"))], resourceVersion: "2" });
    expect(s.listForTenant("events", fixture.record.id)).toHaveLength(1);
    expect(s.listInNamespace("events", "tenant-indexme")).toHaveLength(1);
    expect(s.tenantIds()).toEqual(new Set([fixture.record.id]));
  });

  it("a relist replaces everything: objects missing from it are gone", () => {
    const s = store();
    const pod = slimmers.pods(raw("pods"));
    s.apply("pods", { type: "sync", items: [pod], resourceVersion: "1" });
    s.apply("pods", { type: "sync", items: [], resourceVersion: "5" });
    expect(s.count("pods")).toBe(0);
    expect(s.listForTenant("pods", fixture.record.id)).toEqual([]);
  });

  it("does not keep pods of finished Jobs (a backup's outcome is on the Job)", () => {
    const s = store();
    const pod = raw("pods");
    const jobPod = (phase: string) =>
      slimmers.pods({
        ...pod,
        metadata: { ...pod.metadata, name: "odoo-backup-1-abcde", ownerReferences: [{ kind: "Job", name: "odoo-backup-1", uid: "j" }] },
        status: { ...pod.status, phase },
      });
    s.apply("pods", { type: "sync", items: [slimmers.pods(pod), jobPod("Succeeded")], resourceVersion: "1" });
    expect(s.list("pods").map((p) => p.metadata.name)).toEqual([pod.metadata.name]);
    s.apply("pods", { type: "added", object: jobPod("Running"), resourceVersion: "2" });
    expect(s.count("pods")).toBe(2);
    s.apply("pods", { type: "modified", object: jobPod("Failed"), resourceVersion: "3" });
    expect(s.count("pods")).toBe(1);
  });

  it("coalesces a burst into one change per object", async () => {
    const s = store(10);
    const seen: CacheChange[] = [];
    s.onChange((change) => seen.push(change));
    const pod = raw("pods");
    for (let rv = 10; rv < 20; rv++) {
      s.apply("pods", {
        type: "modified",
        object: slimmers.pods({ ...pod, metadata: { ...pod.metadata, resourceVersion: String(rv) } }),
        resourceVersion: String(rv),
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(seen).toEqual([{ kind: "pods", namespace: "tenant-indexme", name: pod.metadata.name, tenantId: fixture.record.id }]);
  });

  it("tracks freshness per feed: stale since the first error, fresh on the next event", () => {
    const s = store();
    expect(s.freshness().find((f) => f.kind === "pods")).toMatchObject({ synced: false, stale: true });
    s.apply("pods", { type: "sync", items: [], resourceVersion: "1" }, Date.parse("2026-11-23T10:00:00Z"));
    expect(s.freshness().find((f) => f.kind === "pods")).toMatchObject({ synced: true, stale: false, lastEventAt: "2026-11-23T10:00:00.000Z" });
    const error = new KubeError({ kind: "unreachable" });
    s.apply("pods", { type: "error", error, retryInMs: 100 }, Date.parse("2026-11-23T10:01:00Z"));
    s.apply("pods", { type: "error", error, retryInMs: 200 }, Date.parse("2026-11-23T10:02:00Z"));
    expect(s.freshness().find((f) => f.kind === "pods")).toMatchObject({
      stale: true,
      staleSince: "2026-11-23T10:01:00.000Z",
      error: "Kubernetes API unreachable",
    });
    s.apply("pods", { type: "connected", resourceVersion: "1" });
    expect(s.freshness().find((f) => f.kind === "pods")).toMatchObject({ stale: false, staleSince: undefined, error: undefined });
  });

  it("dates a stalled watch's staleness from its last event or bookmark and says how long it was silent", () => {
    const s = store();
    s.apply("pods", { type: "sync", items: [], resourceVersion: "1" }, Date.parse("2026-11-23T10:00:00Z"));
    s.apply("pods", { type: "bookmark", resourceVersion: "2" }, Date.parse("2026-11-23T10:00:40Z"));
    const stalled = new KubeError({ kind: "stalled", path: "/api/v1/pods", silentForMs: 120_000 });
    s.apply("pods", { type: "error", error: stalled, retryInMs: 0 }, Date.parse("2026-11-23T10:02:40Z"));
    expect(s.freshness().find((f) => f.kind === "pods")).toMatchObject({
      stale: true,
      staleSince: "2026-11-23T10:00:40.000Z",
      lastEventAt: "2026-11-23T10:00:40.000Z",
      error: "No event or bookmark for 120 s, so the watch was restarted",
    });
    // The restarted watch staying silent too keeps the first date.
    s.apply("pods", { type: "error", error: stalled, retryInMs: 0 }, Date.parse("2026-11-23T10:04:40Z"));
    expect(s.freshness().find((f) => f.kind === "pods")?.staleSince).toBe("2026-11-23T10:00:40.000Z");
    s.apply("pods", { type: "connected", resourceVersion: "2" }, Date.parse("2026-11-23T10:05:00Z"));
    expect(s.freshness().find((f) => f.kind === "pods")).toMatchObject({ stale: false, staleSince: undefined, error: undefined });
  });

  it("reports a feed error without the API address, the socket error or the API's message", () => {
    const s = store();
    s.apply("pods", { type: "sync", items: [], resourceVersion: "1" }, Date.parse("2026-11-23T10:00:00Z"));
    const refused = new KubeError({ kind: "unreachable", cause: new Error("connect ECONNREFUSED 10.96.0.1:443") });
    s.markError("pods", refused, Date.parse("2026-11-23T10:01:00Z"));
    const forbidden = new KubeError({ kind: "forbidden", status: 403, apiMessage: 'pods is forbidden: User "system:serviceaccount:fleet:portal" cannot list' });
    s.markError("jobs", forbidden, Date.parse("2026-11-23T10:01:00Z"));
    const feeds = s.freshness();
    expect(feeds.find((f) => f.kind === "pods")?.error).toBe("Kubernetes API unreachable");
    expect(feeds.find((f) => f.kind === "jobs")?.error).toBe("Kubernetes RBAC forbids this (403)");
    expect(JSON.stringify(feeds)).not.toMatch(/10\.96|ECONNREFUSED|serviceaccount/);
    // The admins' diagnostics page has the full text.
    const diagnostics = s.feedDiagnostics();
    expect(diagnostics.find((f) => f.kind === "pods")?.detail).toBe("Kubernetes API unreachable (connect ECONNREFUSED 10.96.0.1:443)");
    expect(diagnostics.find((f) => f.kind === "jobs")?.detail).toContain('User "system:serviceaccount:fleet:portal" cannot list');
    expect(diagnostics.find((f) => f.kind === "deployments")?.detail).toBeUndefined();
    expect(refused.message).toContain("ECONNREFUSED");
  });

  describe("index buckets (one key held as itself, a Set from the second key on)", () => {
    const tenant = fixture.record.id;
    const ns = "tenant-indexme";
    const byTenant = (s: ClusterStore) => names(s.listForTenant("pods", tenant));
    const byNamespace = (s: ClusterStore) => names(s.listInNamespace("pods", ns));

    it("add, add a second, remove either, remove the last, add again", () => {
      const s = store();
      s.apply("pods", { type: "added", object: podNamed("a"), resourceVersion: "1" });
      expect(byTenant(s)).toEqual(["a"]);
      expect(byNamespace(s)).toEqual(["a"]);
      // The same key again (a modification) is not a second entry.
      s.apply("pods", { type: "modified", object: podNamed("a"), resourceVersion: "2" });
      expect(byTenant(s)).toEqual(["a"]);
      s.apply("pods", { type: "added", object: podNamed("b"), resourceVersion: "3" });
      expect(byTenant(s)).toEqual(["a", "b"]);
      expect(byNamespace(s)).toEqual(["a", "b"]);
      // Back to one key: the one that stays is the one not removed.
      s.apply("pods", { type: "deleted", object: podNamed("a"), resourceVersion: "4" });
      expect(byTenant(s)).toEqual(["b"]);
      expect(byNamespace(s)).toEqual(["b"]);
      // A delete for an object no longer cached changes nothing.
      s.apply("pods", { type: "deleted", object: podNamed("a"), resourceVersion: "5" });
      expect(byTenant(s)).toEqual(["b"]);
      s.apply("pods", { type: "added", object: podNamed("c"), resourceVersion: "6" });
      expect(byTenant(s)).toEqual(["b", "c"]);
      s.apply("pods", { type: "deleted", object: podNamed("c"), resourceVersion: "7" });
      s.apply("pods", { type: "deleted", object: podNamed("b"), resourceVersion: "8" });
      expect(byTenant(s)).toEqual([]);
      expect(byNamespace(s)).toEqual([]);
      expect(s.tenantIds()).toEqual(new Set());
      s.apply("pods", { type: "added", object: podNamed("d"), resourceVersion: "9" });
      expect(byTenant(s)).toEqual(["d"]);
      expect(byNamespace(s)).toEqual(["d"]);
      expect(s.tenantIds()).toEqual(new Set([tenant]));
    });

    it("three keys down to one and back up", () => {
      const s = store();
      s.apply("pods", { type: "sync", items: [podNamed("a"), podNamed("b"), podNamed("c")], resourceVersion: "1" });
      expect(byTenant(s)).toEqual(["a", "b", "c"]);
      s.apply("pods", { type: "deleted", object: podNamed("b"), resourceVersion: "2" });
      expect(byTenant(s)).toEqual(["a", "c"]);
      s.apply("pods", { type: "deleted", object: podNamed("c"), resourceVersion: "3" });
      expect(byNamespace(s)).toEqual(["a"]);
      s.apply("pods", { type: "added", object: podNamed("b"), resourceVersion: "4" });
      expect(byNamespace(s)).toEqual(["a", "b"]);
      expect(byTenant(s)).toEqual(["a", "b"]);
    });

    it("a relist shrinks and grows buckets, and empties them", () => {
      const s = store();
      s.apply("pods", { type: "sync", items: [podNamed("a"), podNamed("b")], resourceVersion: "1" });
      s.apply("pods", { type: "sync", items: [podNamed("b")], resourceVersion: "2" });
      expect(byTenant(s)).toEqual(["b"]);
      expect(byNamespace(s)).toEqual(["b"]);
      s.apply("pods", { type: "sync", items: [podNamed("b"), podNamed("c")], resourceVersion: "3" });
      expect(byTenant(s)).toEqual(["b", "c"]);
      s.apply("pods", { type: "sync", items: [podNamed("c")], resourceVersion: "4" });
      expect(byTenant(s)).toEqual(["c"]);
      s.apply("pods", { type: "sync", items: [], resourceVersion: "5" });
      expect(byTenant(s)).toEqual([]);
      expect(byNamespace(s)).toEqual([]);
      expect(s.tenantIds()).toEqual(new Set());
    });

    it("an object whose tenant label changes moves between tenants' buckets", () => {
      const s = store();
      const other = "other-tenant";
      s.apply("pods", { type: "sync", items: [podNamed("a"), podNamed("b")], resourceVersion: "1" });
      s.apply("pods", { type: "modified", object: podNamed("a", { [TENANT_LABEL]: other }), resourceVersion: "2" });
      expect(byTenant(s)).toEqual(["b"]);
      expect(names(s.listForTenant("pods", other))).toEqual(["a"]);
      expect(byNamespace(s)).toEqual(["a", "b"]);
      s.apply("pods", { type: "modified", object: podNamed("b", { [TENANT_LABEL]: other }), resourceVersion: "3" });
      expect(byTenant(s)).toEqual([]);
      expect(names(s.listForTenant("pods", other))).toEqual(["a", "b"]);
      expect(s.tenantIds()).toEqual(new Set([other]));
    });

    it("unlabelled objects follow their namespace to another tenant, and lose it with the namespace", () => {
      const s = store();
      const namespace = slimmers.namespaces(raw("namespaces"));
      const relabelled = (tenantId: string) => ({
        ...namespace,
        metadata: { ...namespace.metadata, labels: { ...namespace.metadata.labels, [TENANT_LABEL]: tenantId } },
      });
      // Two unlabelled pods and a labelled one in the same namespace.
      s.apply("pods", { type: "sync", items: [podNamed("a", {}), podNamed("b", {}), podNamed("own")], resourceVersion: "1" });
      expect(byTenant(s)).toEqual(["own"]);
      s.apply("namespaces", { type: "added", object: namespace, resourceVersion: "2" });
      expect(byTenant(s)).toEqual(["a", "b", "own"]);
      s.apply("namespaces", { type: "modified", object: relabelled("moved"), resourceVersion: "3" });
      expect(byTenant(s)).toEqual(["own"]);
      expect(names(s.listForTenant("pods", "moved"))).toEqual(["a", "b"]);
      expect(s.listForTenant("namespaces", "moved")).toHaveLength(1);
      s.apply("pods", { type: "deleted", object: podNamed("a", {}), resourceVersion: "4" });
      expect(names(s.listForTenant("pods", "moved"))).toEqual(["b"]);
      s.apply("namespaces", { type: "deleted", object: relabelled("moved"), resourceVersion: "5" });
      expect(s.listForTenant("pods", "moved")).toEqual([]);
      expect(byTenant(s)).toEqual(["own"]);
      expect(byNamespace(s)).toEqual(["b", "own"]);
      expect(s.tenantIds()).toEqual(new Set([tenant]));
      // Deleting what is left leaves no tenant behind.
      s.apply("pods", { type: "sync", items: [], resourceVersion: "6" });
      expect(s.tenantIds()).toEqual(new Set());
    });

    it("changes name the tenant an object left as well as the one it joined, and the one it is deleted from", () => {
      const s = store();
      const seen: CacheChange[] = [];
      s.onChange((change) => seen.push(change));
      const namespace = slimmers.namespaces(raw("namespaces"));
      const moved = { ...namespace, metadata: { ...namespace.metadata, labels: { [TENANT_LABEL]: "moved" } } };
      s.apply("namespaces", { type: "added", object: namespace, resourceVersion: "1" });
      s.apply("pods", { type: "added", object: podNamed("a", {}), resourceVersion: "2" });
      s.flushChanges();
      seen.length = 0;
      s.apply("namespaces", { type: "modified", object: moved, resourceVersion: "3" });
      s.flushChanges();
      expect(new Set(seen.filter((c) => c.kind === "pods").map((c) => c.tenantId))).toEqual(new Set(["moved", tenant]));
      seen.length = 0;
      s.apply("pods", { type: "deleted", object: podNamed("a", {}), resourceVersion: "4" });
      s.flushChanges();
      expect(seen).toEqual([{ kind: "pods", namespace: ns, name: "a", tenantId: "moved" }]);
      // An empty tenant label files the object under no tenant.
      seen.length = 0;
      s.apply("pods", { type: "added", object: podNamed("blank", { [TENANT_LABEL]: "" }), resourceVersion: "5" });
      s.flushChanges();
      s.apply("pods", { type: "deleted", object: podNamed("blank", { [TENANT_LABEL]: "" }), resourceVersion: "6" });
      s.flushChanges();
      expect(seen.map((c) => c.tenantId)).toEqual(["", undefined]);
      expect(s.tenantIds()).toEqual(new Set(["moved"]));
    });

    it("volume usage of a pvc whose namespace is not cached names the pvc's own tenant", () => {
      const s = new ClusterStore({ tenantLabelKey: TENANT_LABEL, feeds: ["persistentvolumeclaims", "volume-stats"], coalesceMs: 0 });
      const seen: CacheChange[] = [];
      s.onChange((change) => seen.push(change));
      const pvc = slimmers.persistentvolumeclaims(raw("persistentvolumeclaims"));
      s.apply("persistentvolumeclaims", { type: "sync", items: [pvc], resourceVersion: "1" });
      s.flushChanges();
      seen.length = 0;
      s.setVolumeUsage([{ namespace: ns, pvc: pvc.metadata.name, usedBytes: 1, capacityBytes: 10, observedAt: "2026-11-23T10:00:00Z" }], {
        replaceMissing: true,
      });
      s.flushChanges();
      expect(seen).toEqual([{ kind: "volume-stats", namespace: ns, name: pvc.metadata.name, tenantId: tenant }]);
    });

    it("keeps the newest 50 events of a namespace once it holds more than 60", () => {
      const s = store();
      s.apply("namespaces", { type: "sync", items: [slimmers.namespaces(raw("namespaces"))], resourceVersion: "1" });
      const at = (i: number) => new Date(Date.parse("2026-11-23T10:00:00Z") + i * 1000).toISOString();
      for (let i = 0; i < 60; i++) s.apply("events", { type: "added", object: eventNamed(`e${i}`, at(i)), resourceVersion: String(10 + i) });
      expect(s.listInNamespace("events", ns)).toHaveLength(60);
      s.apply("events", { type: "added", object: eventNamed("e60", at(60)), resourceVersion: "100" });
      const kept = s.listInNamespace("events", ns);
      expect(kept).toHaveLength(50);
      expect(names(kept)).toEqual(names(Array.from({ length: 50 }, (_, i) => ({ metadata: { name: `e${i + 11}` } }))));
      expect(s.listForTenant("events", tenant)).toHaveLength(50);
    });
  });
});

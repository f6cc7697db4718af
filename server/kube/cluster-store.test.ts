import { describe, expect, it } from "vitest";
import { ClusterStore, type CacheChange } from "./cluster-store";
import { TENANT_LABEL, tenantFixture } from "./fixtures/cluster-objects";
import { KubeError } from "./kube-error";
import { slimmers } from "./objects";

const fixture = tenantFixture("indexme");
const raw = (resource: string) => fixture.objects.find((o) => o.resource === resource)!.raw as any;

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
      slimmers.pods({ ...pod, metadata: { ...pod.metadata, name: "odoo-backup-1-abcde", ownerReferences: [{ kind: "Job", name: "odoo-backup-1", uid: "j" }] }, status: { ...pod.status, phase } });
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
      s.apply("pods", { type: "modified", object: slimmers.pods({ ...pod, metadata: { ...pod.metadata, resourceVersion: String(rv) } }), resourceVersion: String(rv) });
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
    expect(s.freshness().find((f) => f.kind === "pods")).toMatchObject({ stale: true, staleSince: "2026-11-23T10:01:00.000Z", error: "Kubernetes API unreachable" });
    s.apply("pods", { type: "connected", resourceVersion: "1" });
    expect(s.freshness().find((f) => f.kind === "pods")).toMatchObject({ stale: false, staleSince: undefined, error: undefined });
  });
});

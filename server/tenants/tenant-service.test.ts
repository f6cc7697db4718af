import { afterAll, describe, expect, it } from "vitest";
import { clusterBasics, podStates, tenantFixture, warmStore, type Raw } from "@/scripts/test-support/cluster-fixtures";
import { slimmers } from "@/server/kube/kinds";
import { getTenantDetail, listTenants, watchFleetChanges, watchTenantDetail } from "./tenant-service";
import { TenantDirectory } from "./tenant-view";

// The service is handed a directory over a fixture cluster: no cluster and no database are needed.
const healthy = tenantFixture("svc-healthy");
const other = tenantFixture("svc-other");
const store = warmStore([...clusterBasics(), ...healthy.objects, ...other.objects], { coalesceMs: 5 });
const directory = new TenantDirectory({ clusters: [store], loadRegistry: async () => [healthy.record, other.record] });
directory.start();

afterAll(() => {
  directory.stop();
});

function crash(fixtureName: string) {
  const raw = tenantFixture(fixtureName, { pod: podStates.crashLoop(1) }).objects.find((o) => o.resource === "pods")!.raw as Raw;
  store.apply("pods", {
    type: "modified",
    object: slimmers.pods({ ...raw, metadata: { ...raw.metadata, resourceVersion: `${Date.now()}` } }),
    resourceVersion: "x",
  });
}

describe("tenant service", () => {
  it("lists from memory, with live freshness", async () => {
    const result = await listTenants(directory, { q: "svc-healthy" });
    expect(result.items.map((t) => t.databaseName)).toEqual(["svc-healthy"]);
    expect(result.freshness.find((f) => f.kind === "pods")).toMatchObject({ synced: true, stale: false });
  });

  it("answers NOT_FOUND in plain words for an unknown tenant", async () => {
    await expect(getTenantDetail(directory, "00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({
      code: "NOT_FOUND",
      userMessage: "No tenant with id 00000000-0000-4000-8000-000000000000 in the registry.",
    });
  });

  it("streams the tenant's fresh detail when its objects change, and ends on abort", async () => {
    const abort = new AbortController();
    const stream = watchTenantDetail(directory, other.record.id, abort.signal, 10);
    const first = await stream.next();
    expect(first.value).toMatchObject({ id: other.record.id, health: "healthy" });
    crash("svc-other");
    const second = await stream.next();
    expect(second.value?.problems[0]).toMatchObject({ kind: "crash-loop" });
    abort.abort();
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it("ticks the fleet at most once per interval for a burst of changes", async () => {
    const abort = new AbortController();
    const stream = watchFleetChanges(directory, abort.signal, 200);
    const next = stream.next();
    crash("svc-healthy");
    crash("svc-other");
    expect((await next).value).toHaveProperty("at");
    const started = Date.now();
    crash("svc-healthy");
    await stream.next();
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    abort.abort();
    expect((await stream.next()).done).toBe(true);
  });
});

import { describe, expect, it } from "vitest";

import { clusterBasics, NOW, tenantFixture, warmStore } from "@/scripts/test-support/cluster-fixtures";
import { slimmers } from "@/server/kube/kinds";
import { TenantDirectory } from "@/server/tenants/tenant-view";
import { GateMonitor, watchGateChanges } from "./gate-monitor";
import { EMPTY_DB_SNAPSHOT } from "./gate-sources";

async function until(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("GateMonitor", () => {
  it("re-evaluates on a cache change and tells its listeners only when a result changed", async () => {
    const healthy = tenantFixture("healthy");
    const stuck = tenantFixture("stuck", { pvcPending: true });
    const store = warmStore([...clusterBasics(), ...healthy.objects, ...stuck.objects], { coalesceMs: 0 });
    store.setVolumeUsage([], { replaceMissing: true });
    const directory = new TenantDirectory({ clusters: [store], loadRegistry: async () => [healthy.record, stuck.record], now: () => NOW });
    directory.start();
    await directory.ready();
    const monitor = new GateMonitor({ directory, loadSnapshot: async () => EMPTY_DB_SNAPSHOT, throttleMs: 0, now: () => NOW });
    monitor.start();
    await monitor.ready();

    const volumes = () => monitor.results().find((gate) => gate.gateId === "volumes-bound-below-90")!;
    expect(volumes()).toMatchObject({ state: "fail", failingCount: 1, failing: [{ tenantId: stuck.record.id, reason: expect.stringContaining("Pending") }] });
    expect(monitor.results().map((gate) => gate.key)).toEqual([
      "production-backups-24h",
      "finished-waves-healthy",
      "volumes-bound-below-90",
      "cluster-access",
      "runbook-succeeded-in-staging:restart-instance",
    ]);

    let heard = 0;
    monitor.onChange(() => (heard += 1));
    const abort = new AbortController();
    const ticks = watchGateChanges(monitor, abort.signal, 0);
    expect((await ticks.next()).value).toEqual({ version: monitor.version });

    const claim = stuck.objects.find((object) => object.resource === "persistentvolumeclaims")!;
    const bound = { ...claim.raw, metadata: { ...claim.raw.metadata, resourceVersion: "99999" }, status: { ...(claim.raw.status as object), phase: "Bound" } };
    store.apply("persistentvolumeclaims", { type: "modified", object: slimmers.persistentvolumeclaims(bound), resourceVersion: "99999" });
    store.flushChanges();
    await until(() => volumes().state === "pass");
    expect(heard).toBe(1);
    expect((await ticks.next()).value).toEqual({ version: monitor.version });

    // A change that alters no result is not announced.
    await monitor.refresh();
    expect(heard).toBe(1);

    abort.abort();
    await ticks.return(undefined);
    monitor.stop();
    directory.stop();
  });
});

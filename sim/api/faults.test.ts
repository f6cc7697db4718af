import { CoreV1Api, Watch } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "./test-cluster";

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster({ tenants: 2 });
});
afterAll(async () => {
  await c.close();
});

async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const post = (path: string, body?: unknown) => c.fetch(path, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) });

describe("fault injection", () => {
  it("drops open watches", async () => {
    let done: unknown = "open";
    await new Watch(c.kubeConfig).watch(
      "/api/v1/configmaps",
      {},
      () => {},
      (err) => (done = err ?? null),
    );
    await waitFor(() => c.api.watches.openCount === 1);
    const res = await (await post("/_sim/watches/drop")).json();
    expect(res.dropped).toBe(1);
    await waitFor(() => done !== "open");
  });

  it("stalls watches, then delivers what was held back", async () => {
    const seen: string[] = [];
    const ctrl = await new Watch(c.kubeConfig).watch(
      "/api/v1/namespaces/default/configmaps",
      { resourceVersion: String(c.store.currentRv()) },
      (type, obj) => seen.push(`${type} ${obj.metadata.name}`),
      () => {},
    );
    await waitFor(() => c.api.watches.openCount === 1);
    await post("/_sim/watches/stall", { seconds: 0.5 });
    const core = c.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "held" } } });
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toEqual([]);
    await waitFor(() => seen.length === 1);
    expect(seen).toEqual(["ADDED held"]);
    ctrl.abort();
    // A client that goes away must not leave a watcher behind.
    await waitFor(() => c.api.watches.openCount === 0);
  });

  it("hangs every API request during a stall with requests, but not the control API", async () => {
    const core = c.kubeConfig.makeApiClient(CoreV1Api);
    // A stall without requests leaves lists answering.
    await post("/_sim/watches/stall", { seconds: 0.6 });
    await core.listNamespace();
    const res = await (await post("/_sim/watches/stall", { seconds: 0.6, requests: true })).json();
    expect(res.requestsHeld).toBe(true);
    let answered = false;
    const listing = core.listNamespace().then(() => (answered = true));
    expect((await c.fetch("/_sim/faults")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(answered).toBe(false);
    await listing;
    expect(answered).toBe(true);
  });

  it("ends log streams on demand", async () => {
    const res = await c.fetch("/api/v1/namespaces/tenant-t0/pods/odoo-t0-00000000-abc12-x0/log?follow=true");
    const reader = res.body!.getReader();
    await reader.read();
    expect((await (await post("/_sim/logs/drop")).json()).dropped).toBe(1);
    let finished = false;
    while (!finished) finished = (await reader.read()).done;
    expect(finished).toBe(true);
  });

  it("adds latency and refuses connections for a while, like a restarting apiserver", async () => {
    await post("/_sim/faults", { latencyMs: 150 });
    const t0 = Date.now();
    await c.fetch("/api/v1/namespaces");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    await c.fetch("/_sim/faults", { method: "DELETE" });

    await post("/_sim/faults", { refuseForSeconds: 0.6 });
    await new Promise((r) => setTimeout(r, 100));
    await expect(fetch(`${c.url}/readyz`)).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 900));
    expect((await fetch(`${c.url}/readyz`)).status).toBe(200);
  });

  it("reports unknown control routes and tenant actions through the hooks", async () => {
    expect((await post("/_sim/nope")).status).toBe(404);
    const tenant = await post("/_sim/tenants/acme/crash", {});
    expect(tenant.status).toBe(404);
    expect((await c.fetch("/_sim/registry")).status).toBe(200);
  });
});

/**
 * The cache against the simulator, as a child process speaking the real API: warm start, a live
 * change, a 410 relist, a stalled watch restarted by the watchdog, and the API refused then back.
 * A small proxy sits between the cache and the simulator so the test can answer one watch per
 * resource with 410 Gone (what a compacted etcd history does) without 50k events of churn.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TenantDirectory } from "@/server/tenants/tenant-view";
import { startSimProcess, waitFor, type SimProcess } from "@/scripts/test-support/sim-process";
import { ClusterCache } from "./cluster-cache";
import type { CacheChange } from "./cluster-store";
import { RESOURCE_NAMES } from "./kinds";

const TOKEN = "t";
// Twice the simulator's bookmark interval, as the portal's default is twice an API server's
// (~60 s): a quiet but healthy watch never trips the watchdog, a silent one does within seconds.
const BOOKMARK_INTERVAL_SECONDS = 2;
const SILENCE_MS = 2 * BOOKMARK_INTERVAL_SECONDS * 1000;

let sim: ChildProcess;
let simProcess: SimProcess;
let simUrl: string;
let workDir: string;
let proxy: GoneProxy;
let cache: ClusterCache;
let directory: TenantDirectory;
const changes: CacheChange[] = [];

async function simCall<T = unknown>(method: string, route: string, body?: unknown): Promise<T> {
  return simProcess.call<T>(method, route, body);
}

interface GoneProxy {
  url: string;
  /** Answer the next watch of every resource with a 410 Gone ERROR event. */
  expireNextWatches(): void;
  goneAnswered: Set<string>;
  listsSinceExpiry: Set<string>;
  close(): Promise<void>;
}

async function startGoneProxy(target: string): Promise<GoneProxy> {
  let expiring = false;
  const goneAnswered = new Set<string>();
  const listsSinceExpiry = new Set<string>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", target);
    const isWatch = url.searchParams.get("watch") === "true" || url.searchParams.get("watch") === "1";
    if (expiring && isWatch && !goneAnswered.has(url.pathname)) {
      goneAnswered.add(url.pathname);
      res.writeHead(200, { "Content-Type": "application/json" });
      const rv = url.searchParams.get("resourceVersion");
      res.end(
        `${JSON.stringify({ type: "ERROR", object: { kind: "Status", apiVersion: "v1", status: "Failure", reason: "Expired", code: 410, message: `too old resource version: ${rv} (${Number(rv) + 1})` } })}\n`,
      );
      return;
    }
    if (expiring && !isWatch && goneAnswered.has(url.pathname)) listsSinceExpiry.add(url.pathname);
    const upstream = http.request(url, { method: req.method, headers: req.headers }, (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
      upstreamRes.pipe(res);
      upstreamRes.on("error", () => res.destroy());
      upstreamRes.on("aborted", () => res.destroy());
    });
    upstream.on("error", () => res.destroy());
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    expireNextWatches: () => {
      expiring = true;
      goneAnswered.clear();
      listsSinceExpiry.clear();
    },
    goneAnswered,
    listsSinceExpiry,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "fleetdeck-cache-"));
  const kubeconfigPath = path.join(workDir, "kubeconfig");
  simProcess = await startSimProcess({ kubeconfigPath, token: TOKEN, args: ["--bookmark-interval-seconds", String(BOOKMARK_INTERVAL_SECONDS)] });
  ({ child: sim, url: simUrl } = simProcess);
  proxy = await startGoneProxy(simUrl);
  const fromSim = new KubeConfig();
  fromSim.loadFromFile(kubeconfigPath);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: fromSim.getClusters().map((cluster) => ({ ...cluster, server: proxy.url })),
    users: fromSim.getUsers(),
    contexts: fromSim.getContexts(),
    currentContext: fromSim.getCurrentContext(),
  });
  cache = new ClusterCache({
    name: "default",
    kubeConfig,
    settings: { tenantLabelKey: "saasodoo.instance.id", watchSilenceTimeoutMs: SILENCE_MS },
    volumeStatsIntervalMs: 60_000,
    backoff: { initialMs: 100, maxMs: 1_000 },
  });
  cache.onChange((change) => changes.push(change));
  directory = new TenantDirectory({
    clusters: [cache],
    loadRegistry: () => simProcess.registry(),
  });
}, 60_000);

afterAll(async () => {
  directory?.stop();
  await cache?.stop();
  await proxy?.close();
  sim?.kill("SIGTERM");
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe("cluster cache against the simulator", () => {
  it("warms up: lists every kind, joins the registry, and reads cost no API calls", async () => {
    const started = Date.now();
    cache.start();
    directory.start();
    expect(await cache.whenWarm(20_000)).toBe(true);
    await directory.ready();
    console.log(`[integration] warm in ${Date.now() - started} ms`);

    expect(cache.count("namespaces")).toBeGreaterThanOrEqual(20);
    expect(cache.count("deployments")).toBeGreaterThanOrEqual(20);
    expect(
      cache
        .freshness()
        .filter((f) => f.kind !== "volume-stats")
        .every((f) => f.synced && !f.stale),
    ).toBe(true);
    const summaries = directory.summaries();
    expect(summaries.length).toBeGreaterThan(0);
    expect(summaries.some((s) => s.health === "healthy")).toBe(true);
    expect(summaries.every((s) => s.health !== "unknown")).toBe(true);
    const pods = cache.list("pods");
    expect(JSON.stringify(pods)).not.toContain("managedFields");

    await waitFor("kubelet volume stats", () => cache.isSynced("volume-stats"), 10_000);
    expect(cache.allVolumeUsage().length).toBeGreaterThan(0);

    await simCall("POST", "/_sim/stats/reset");
    for (let i = 0; i < 50; i++) {
      directory.summaries();
      directory.orphans();
      for (const summary of summaries.slice(0, 5)) directory.detail(summary.id);
    }
    const stats = await simCall<{ byVerb: Record<string, number> }>("GET", "/_sim/stats");
    const reads = Object.entries(stats.byVerb)
      .filter(([verb]) => verb !== "watch")
      .reduce((sum, [, count]) => sum + count, 0);
    // The stats call itself may or may not count itself; nothing else may have hit the API.
    expect(reads).toBeLessThanOrEqual(1);
  }, 60_000);

  it("delivers a live change (crash, then heal) through onChange into the tenant summary", async () => {
    const healthy = directory.summaries().find((s) => s.health === "healthy")!;
    const touched: string[] = [];
    const unsubscribe = directory.onTenantChange((id) => touched.push(id));

    await simCall("POST", `/_sim/tenants/${healthy.databaseName}/crash`, {});
    const crashed = await waitFor(
      "a crash-loop problem",
      () => {
        const summary = directory.summary(healthy.id);
        return summary?.problems.some((p) => p.kind === "crash-loop" || p.kind === "not-ready") ? summary : undefined;
      },
      45_000,
    );
    expect(touched).toContain(healthy.id);
    expect(["degraded", "down"]).toContain(crashed.health);

    await simCall("POST", `/_sim/tenants/${healthy.databaseName}/heal`, {});
    await waitFor("healthy again", () => directory.summary(healthy.id)?.health === "healthy", 45_000);
    unsubscribe();
  }, 100_000);

  it("relists every kind when a watch answers 410 Gone, and stays consistent", async () => {
    proxy.expireNextWatches();
    await simCall("POST", "/_sim/watches/drop");
    await waitFor("a 410 and a relist for every kind", () => proxy.listsSinceExpiry.size >= RESOURCE_NAMES.length, 20_000);
    await waitFor("fresh again", () => cache.freshness().every((f) => !f.stale), 20_000);
    // The fleet keeps changing (backup CronJobs fire), so compare against a fresh list each time,
    // leaving out pods of finished Jobs, which the cache deliberately does not keep.
    type PodItem = { status?: { phase?: string }; metadata: { ownerReferences?: { kind: string }[] } };
    const keptByCache = (pod: PodItem) =>
      !(["Succeeded", "Failed"].includes(pod.status?.phase ?? "") && pod.metadata.ownerReferences?.some((o) => o.kind === "Job"));
    let apiCount = -1;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const direct = await simCall<{ items: PodItem[] }>("GET", "/api/v1/pods");
      apiCount = direct.items.filter(keptByCache).length;
      if (cache.count("pods") === apiCount) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(cache.count("pods")).toBe(apiCount);
  }, 60_000);

  it("keeps quiet watches fresh when the server still answers: restarted after the silence, nothing stale, nothing lost", async () => {
    const tenant = directory.summaries().find((s) => s.health === "healthy")!;
    const deploymentOf = () => cache.listForTenant("deployments", tenant.id)[0];
    expect(deploymentOf()?.spec.replicas).toBe(1);
    const restarts = () => cache.freshness().filter((f) => f.stale).length;

    // Watches say nothing (no events, no bookmarks) but lists answer: a quiet cluster, as Events
    // always are on a real API server.
    await simCall("POST", "/_sim/watches/stall", { seconds: (3 * SILENCE_MS) / 1000 });
    await simCall("POST", `/_sim/tenants/${tenant.databaseName}/stop`, {});
    const quietUntil = Date.now() + 2 * SILENCE_MS;
    while (Date.now() < quietUntil) {
      expect(restarts(), JSON.stringify(cache.freshness().filter((f) => f.stale))).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The stall ends: the restarted watches (from the last resourceVersion) deliver the stop.
    await waitFor("the scale-down in the cache", () => deploymentOf()?.spec.replicas === 0, SILENCE_MS + 10_000);
    await waitFor("stopped", () => directory.summary(tenant.id)?.health === "stopped", 20_000);
    await simCall("POST", `/_sim/tenants/${tenant.databaseName}/start`, {});
    await waitFor("started again", () => deploymentOf()?.spec.replicas === 1, 20_000);
  }, 90_000);

  it("reports a watch on a hung server stale from its last message, restarts it, and shows a change made during the silence", async () => {
    const tenant = directory.summaries().find((s) => s.health === "healthy")!;
    const deploymentOf = () => cache.listForTenant("deployments", tenant.id)[0];
    expect(deploymentOf()?.spec.replicas).toBe(1);

    // The server hangs: watches silent and every request (the check after the silence too) unanswered.
    await simCall("POST", "/_sim/watches/stall", { seconds: (3 * SILENCE_MS) / 1000, requests: true });
    const stallAnsweredAt = Date.now();
    const stale = await waitFor("the deployments feed stale", () => cache.freshness().find((f) => f.kind === "deployments" && f.stale), 2 * SILENCE_MS + 2_000);
    // Stale once the silence and the check (as long as the silence here) passed, dated from the
    // last event or bookmark (before the stall began), and said in words.
    expect(Date.now() - stallAnsweredAt).toBeLessThan(2 * SILENCE_MS + 2_000);
    expect(Date.parse(stale.staleSince!)).toBeLessThanOrEqual(stallAnsweredAt + 100);
    expect(stale.error).toBe(`No event or bookmark for ${SILENCE_MS / 1000} s, so the watch was restarted`);

    // The scale-down happens while every watch is silent: the cache cannot know it yet.
    await simCall("POST", `/_sim/tenants/${tenant.databaseName}/stop`, {});
    expect(deploymentOf()?.spec.replicas).toBe(1);

    await waitFor("all feeds fresh after the stall", () => cache.freshness().every((f) => !f.stale), 30_000);
    await waitFor("the scale-down in the cache", () => deploymentOf()?.spec.replicas === 0, 10_000);
    await waitFor("stopped", () => directory.summary(tenant.id)?.health === "stopped", 20_000);
    const direct = await simCall<{ items: { metadata: { namespace: string; name: string }; spec: { replicas: number } }[] }>(
      "GET",
      "/apis/apps/v1/deployments",
    );
    const replicasIn = (items: { metadata: { namespace?: string; name: string }; spec: { replicas: number } }[]) =>
      Object.fromEntries(items.map((d) => [`${d.metadata.namespace}/${d.metadata.name}`, d.spec.replicas]));
    expect(replicasIn(cache.list("deployments"))).toEqual(replicasIn(direct.items));
    await simCall("POST", `/_sim/tenants/${tenant.databaseName}/start`, {});
  }, 90_000);

  it("reports the API refused as stale since then, and fresh once it is back", async () => {
    await simCall("POST", "/_sim/faults", { refuseForSeconds: 3 });
    const down = await waitFor("stale while refused", () => cache.freshness().find((f) => f.stale && f.error?.includes("unreachable")), 5_000);
    expect(Date.parse(down.staleSince!)).toBeLessThanOrEqual(Date.now());
    await waitFor(
      "fresh once the API is back",
      () =>
        cache
          .freshness()
          .filter((f) => f.kind !== "volume-stats")
          .every((f) => !f.stale),
      25_000,
    );
    expect(cache.isWarm()).toBe(true);
  }, 60_000);
});

/**
 * The portal's own watch cache against a real kube-apiserver (scripts/lib/control-plane.ts), with
 * the portal's ServiceAccount kubeconfig, so every list and watch goes through the real RBAC
 * authorizer: warm start, a live change made by an admin, the API server stopped (stale, in
 * words) and restarted (a real 410 Expired on every watch, a relist of every feed, the cache equal
 * to the API again), and a ServiceAccount without the binding (forbidden per feed, no crash). The
 * simulator's version of these cases is cluster-cache.integration.test.ts. `npm test` runs it;
 * alone (vitest.config.ts leaves it out of a plain run):
 *   FLEETDECK_REAL_CLUSTER=1 npx vitest run server/kube/cluster-cache.real-cluster.integration.test.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AppsV1Api, AuthorizationV1Api, CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, type V1ResourceAttributes } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from "vitest";
import { startControlPlane, type ControlPlane } from "@/scripts/lib/control-plane";
import { waitFor } from "@/scripts/test-support/sim-process";
import { portalMetrics } from "@/server/metrics/portal-metrics";
import { ClusterCache } from "./cluster-cache";
import type { CacheChange } from "./cluster-store";
import { RESOURCE_NAMES, RESOURCE_PATHS, type ResourceName } from "./kinds";

const TENANT_LABEL_KEY = "saasodoo.instance.id";
const TENANT = "live-1";
const NAMESPACE = "tenant-live-1";
// Its own cluster name, so the watch counters of this file's caches are told apart.
const CLUSTER = "real";
// The API server sends a bookmark about once a minute on a quiet watch (storage classes never
// change here); the portal's default silence timeout is twice that, so no feed trips the
// watchdog by being quiet. The watchdog's own test is the simulator's, where bookmarks come in seconds.
const SILENCE_MS = 120_000;
// The API server keeps no watch cache for events (its default --watch-cache-sizes sets them to 0),
// so an events watch reads etcd directly: after a restart it resumes from its resourceVersion as
// long as etcd has not compacted it, and needs no relist. Every other feed is served by the cache.
const WATCH_CACHED = RESOURCE_NAMES.filter((resource) => resource !== "events");

let controlPlane: ControlPlane;
let stateDir: string;
let admin: { core: CoreV1Api; apps: AppsV1Api };
let cache: ClusterCache;
const changes: CacheChange[] = [];
let warnings: MockInstance<typeof console.warn>;

function kubeConfigFrom(file: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(file);
  return kubeConfig;
}

function newCache(kubeConfig: KubeConfig, name: string): ClusterCache {
  return new ClusterCache({
    name,
    kubeConfig,
    settings: { tenantLabelKey: TENANT_LABEL_KEY, watchSilenceTimeoutMs: SILENCE_MS },
    volumeStatsIntervalMs: 60_000,
    backoff: { initialMs: 100, maxMs: 1_000 },
  });
}

async function watchCounts(event: "relist" | "restart", cluster = CLUSTER): Promise<Record<string, number>> {
  const metric = await portalMetrics().watchEvents.get();
  const counts: Record<string, number> = Object.fromEntries(RESOURCE_NAMES.map((resource) => [resource, 0]));
  for (const value of metric.values) {
    if (value.labels.cluster === cluster && value.labels.event === event) counts[String(value.labels.resource)] = value.value;
  }
  return counts;
}

const resourceFeeds = () => cache.freshness().filter((feed) => feed.kind !== "volume-stats");

/** `namespace/name` of every object the admin sees, for the kinds compared below. */
async function apiKeys(resource: ResourceName): Promise<string[]> {
  const key = (item: { metadata?: { namespace?: string; name?: string } }) => `${item.metadata?.namespace ?? ""}/${item.metadata?.name}`;
  switch (resource) {
    case "namespaces":
      return (await admin.core.listNamespace()).items.map(key).sort();
    case "nodes":
      return (await admin.core.listNode()).items.map(key).sort();
    case "deployments":
      return (await admin.apps.listDeploymentForAllNamespaces()).items.map(key).sort();
    case "services":
      return (await admin.core.listServiceForAllNamespaces()).items.map(key).sort();
    case "persistentvolumeclaims":
      return (await admin.core.listPersistentVolumeClaimForAllNamespaces()).items.map(key).sort();
    case "pods":
      return (await admin.core.listPodForAllNamespaces()).items.map(key).sort();
    default:
      throw new Error(`not compared: ${resource}`);
  }
}

const cacheKeys = (resource: ResourceName) =>
  cache
    .list(resource)
    .map((object) => `${object.metadata.namespace ?? ""}/${object.metadata.name}`)
    .sort();

/** Waits until the cache holds exactly what the API lists, for the kinds the test changes. */
async function expectCacheEqualsApi(timeoutMs: number): Promise<void> {
  // Events churn and expire on their own; pods of finished Jobs the cache drops on purpose (none run here).
  const compared: ResourceName[] = ["namespaces", "nodes", "deployments", "services", "persistentvolumeclaims", "pods"];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const differing: string[] = [];
    for (const resource of compared) {
      const fromApi = await apiKeys(resource);
      if (JSON.stringify(fromApi) !== JSON.stringify(cacheKeys(resource)))
        differing.push(`${resource}: api ${fromApi.join(",")} cache ${cacheKeys(resource).join(",")}`);
    }
    if (differing.length === 0) return;
    if (Date.now() > deadline) throw new Error(`the cache still differs from the API after ${timeoutMs} ms:\n${differing.join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  stateDir = mkdtempSync(path.join(tmpdir(), "fleetdeck-real-cache-"));
  // With an empty binary cache this includes the first build (tens of minutes on two cores).
  controlPlane = await startControlPlane({ stateDir, nodes: 2, log: () => {} });
  admin = {
    core: kubeConfigFrom(controlPlane.adminKubeconfig).makeApiClient(CoreV1Api),
    apps: kubeConfigFrom(controlPlane.adminKubeconfig).makeApiClient(AppsV1Api),
  };
  // The cache logs every watch failure; kept here so the test can read the API server's own words.
  warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
  cache = newCache(kubeConfigFrom(controlPlane.portalKubeconfig), CLUSTER);
  cache.onChange((change) => changes.push(change));
}, 3_600_000);

afterAll(async () => {
  await cache?.stop();
  warnings?.mockRestore();
  await controlPlane?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
}, 60_000);

describe("cluster cache against a real API server, as the portal's ServiceAccount", () => {
  it("warms up: every resource feed lists and watches through RBAC, with no error", async () => {
    cache.start();
    expect(await cache.whenWarm(30_000), `not warm after 30 s: ${JSON.stringify(resourceFeeds().filter((f) => !f.synced))}`).toBe(true);

    // Synced and not stale means the list answered 200 and the watch opened: the ClusterRole grants both.
    expect(resourceFeeds().filter((feed) => !feed.synced || feed.stale || feed.error)).toEqual([]);
    expect(
      cache
        .list("nodes")
        .map((node) => node.metadata.name)
        .sort(),
    ).toEqual(["kwok-node-1", "kwok-node-2"]);
    expect(cacheKeys("namespaces")).toEqual(expect.arrayContaining(["/default", "/fleetdeck", "/kube-system"]));
    await expectCacheEqualsApi(10_000);
    expect(JSON.stringify(cache.list("pods"))).not.toContain("managedFields");

    // Volume stats come through nodes/proxy: the nodes advertise 192.0.2.x, which the API server
    // proxies to (it refuses loopback), through its egress selector to the kubelet front
    // (scripts/lib/kubelet-front.ts; README, "Real control plane"). The feed syncs with no error.
    await waitFor("the volume-stats feed to sync", () => cache.isSynced("volume-stats"), 20_000);
    expect(cache.freshness().find((f) => f.kind === "volume-stats")).toMatchObject({ synced: true, stale: false });
    expect(cache.freshness().find((f) => f.kind === "volume-stats")?.error).toBeUndefined();
    expect(cache.isWarm()).toBe(true);
  }, 60_000);

  it("shows a tenant created by an admin (namespace, Deployment, its pod, PVC, Service) and a Service deleted", async () => {
    changes.length = 0;
    const labels = { app: "odoo", [TENANT_LABEL_KEY]: TENANT };
    await admin.core.createNamespace({ body: { metadata: { name: NAMESPACE, labels: { [TENANT_LABEL_KEY]: TENANT } } } });
    await admin.apps.createNamespacedDeployment({
      namespace: NAMESPACE,
      body: {
        metadata: { name: "odoo", labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: "odoo", image: "odoo:17.0" }] } },
        },
      },
    });
    // No provisioner runs here, so the claim stays Pending: the cache must show it all the same.
    await admin.core.createNamespacedPersistentVolumeClaim({
      namespace: NAMESPACE,
      body: { metadata: { name: "odoo-data", labels }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } },
    });
    await admin.core.createNamespacedService({
      namespace: NAMESPACE,
      body: { metadata: { name: "odoo", labels }, spec: { selector: labels, ports: [{ port: 8069, targetPort: 8069 }] } },
    });

    await waitFor("the tenant's namespace in the cache", () => cache.get("namespaces", undefined, NAMESPACE), 15_000);
    await waitFor("the tenant's Deployment in the cache", () => cache.listForTenant("deployments", TENANT).length === 1, 15_000);
    await waitFor("the tenant's PVC in the cache", () => cache.listForTenant("persistentvolumeclaims", TENANT).length === 1, 15_000);
    await waitFor("the tenant's Service in the cache", () => cache.listForTenant("services", TENANT).length === 1, 15_000);
    // The ReplicaSet and pod are made by the real controllers (pods wait for the namespace's
    // default ServiceAccount) and run by kwok; they join the tenant by their label.
    await waitFor("the tenant's ReplicaSet in the cache", () => cache.listForTenant("replicasets", TENANT).length === 1, 30_000);
    const pod = await waitFor(
      "the tenant's pod Running on a kwok node in the cache",
      () => cache.listForTenant("pods", TENANT).find((p) => p.status.phase === "Running" && p.spec.nodeName?.startsWith("kwok-node-")),
      60_000,
    );
    expect(pod.metadata.namespace).toBe(NAMESPACE);
    expect(cache.get("persistentvolumeclaims", NAMESPACE, "odoo-data")?.metadata.labels[TENANT_LABEL_KEY]).toBe(TENANT);
    expect(changes.some((change) => change.tenantId === TENANT && change.kind === "deployments")).toBe(true);

    await admin.apps.patchNamespacedDeployment(
      { name: "odoo", namespace: NAMESPACE, body: { spec: { replicas: 0 } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    await waitFor("the scale-down in the cache", () => cache.get("deployments", NAMESPACE, "odoo")?.spec.replicas === 0, 15_000);
    await waitFor("the tenant's pod gone from the cache", () => cache.listForTenant("pods", TENANT).length === 0, 30_000);
    await admin.core.deleteNamespacedService({ name: "odoo", namespace: NAMESPACE });
    await waitFor("the Service gone from the cache", () => cache.listForTenant("services", TENANT).length === 0, 15_000);
    await expectCacheEqualsApi(15_000);
  }, 150_000);

  it("is granted, by the real authorizer, every verb the cache and its volume-stats poll use, and no Secret", async () => {
    const portal = kubeConfigFrom(controlPlane.portalKubeconfig).makeApiClient(AuthorizationV1Api);
    const allowed = async (attributes: V1ResourceAttributes) => {
      const review = await portal.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: attributes } } });
      return review.status?.allowed === true;
    };
    const refused: string[] = [];
    for (const resource of RESOURCE_NAMES) {
      // "/api/v1/pods" is the core group; "/apis/apps/v1/deployments" is apps.
      const [, root, group] = RESOURCE_PATHS[resource].split("/");
      for (const verb of ["list", "watch"]) {
        if (!(await allowed({ verb, resource, group: root === "api" ? "" : group }))) refused.push(`${verb} ${resource}`);
      }
    }
    for (const subresource of ["nodes/proxy", "pods/log"]) {
      const [resource, sub] = subresource.split("/");
      if (!(await allowed({ verb: "get", resource, subresource: sub, group: "" }))) refused.push(`get ${subresource}`);
    }
    expect(refused).toEqual([]);
    for (const verb of ["get", "list", "watch"]) expect(await allowed({ verb, resource: "secrets", group: "" }), `${verb} secrets`).toBe(false);
    // Through the portal's own read path, too: a typed forbidden error, not a crash or an empty list.
    await expect(cache.listObjects(`/api/v1/namespaces/${NAMESPACE}/secrets`)).rejects.toMatchObject({ kind: "forbidden", status: 403 });
  }, 30_000);

  it("reports each feed forbidden, in words, for a ServiceAccount without the binding, and keeps trying without crashing", async () => {
    await admin.core.createNamespacedServiceAccount({ namespace: "fleetdeck", body: { metadata: { name: "unbound" } } });
    const token = await admin.core.createNamespacedServiceAccountToken({
      name: "unbound",
      namespace: "fleetdeck",
      body: { spec: { expirationSeconds: 3600 } },
    });
    const portal = kubeConfigFrom(controlPlane.portalKubeconfig);
    const unboundConfig = new KubeConfig();
    unboundConfig.loadFromOptions({
      clusters: portal.getClusters(),
      users: [{ name: "unbound", token: token.status!.token }],
      contexts: [{ name: "unbound", cluster: portal.getCurrentCluster()!.name, user: "unbound" }],
      currentContext: "unbound",
    });
    const unbound = newCache(unboundConfig, "unbound");
    try {
      unbound.start();
      const refused = await waitFor(
        "every resource feed of the unbound cache forbidden",
        () => {
          const feeds = unbound.feedDiagnostics().filter((feed) => feed.kind !== "volume-stats");
          return feeds.every((feed) => feed.error) ? feeds : undefined;
        },
        20_000,
      );
      for (const feed of refused) {
        expect(feed, feed.kind).toMatchObject({ synced: false, stale: true, objects: 0, error: "Kubernetes RBAC forbids this (403)" });
        // The full text (server log, admins' diagnostics) is the authorizer's own sentence.
        expect(feed.detail, feed.kind).toContain(`User "system:serviceaccount:fleetdeck:unbound" cannot list resource "${feed.kind}"`);
      }
      expect(unbound.isWarm()).toBe(false);
      expect(await unbound.whenWarm(1_000)).toBe(false);
      // Still retrying, not given up: the feeds keep failing with the same error (each try a restart).
      const restarts = await watchCounts("restart", "unbound");
      await waitFor(
        "the unbound cache to retry every feed",
        async () => {
          const now = await watchCounts("restart", "unbound");
          return RESOURCE_NAMES.every((resource) => now[resource] > restarts[resource]);
        },
        10_000,
      );
      expect(unbound.running).toBe(true);
    } finally {
      await unbound.stop();
    }
  }, 60_000);

  it("keeps a quiet watch fresh past a short silence timeout: a one-item list shows the server answers", async () => {
    // Nobody changes Ingresses here and the server's bookmarks come about once a minute, so each
    // watch is silent for the whole timeout, again and again.
    const silenceMs = 2_000;
    const quiet = new ClusterCache({
      name: "quiet",
      kubeConfig: kubeConfigFrom(controlPlane.portalKubeconfig),
      settings: { tenantLabelKey: TENANT_LABEL_KEY, watchSilenceTimeoutMs: silenceMs },
      resources: ["ingresses", "events"],
      volumeStatsIntervalMs: 60_000,
      backoff: { initialMs: 100, maxMs: 1_000 },
    });
    try {
      quiet.start();
      expect(await quiet.whenWarm(15_000), "the quiet cache did not sync in 15 s").toBe(true);
      const until = Date.now() + 4 * silenceMs;
      while (Date.now() < until) {
        const stale = quiet.freshness().filter((feed) => feed.kind !== "volume-stats" && (feed.stale || feed.error));
        expect(stale, "a quiet feed went stale with the server answering").toEqual([]);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await quiet.stop();
    }
  }, 60_000);

  it("reports a frozen API server's busy watch stale from its last event, restarts it, and is fresh once the server answers again", async () => {
    // A quiet watch on the real server hears a bookmark only about once a minute, so a short
    // silence timeout is tried on a feed kept busy: a Service the test patches every 300 ms.
    const silenceMs = 3_000;
    await admin.core.createNamespacedService({
      namespace: NAMESPACE,
      body: { metadata: { name: "ticker", labels: { [TENANT_LABEL_KEY]: TENANT } }, spec: { ports: [{ port: 80 }] } },
    });
    let ticking = true;
    const ticker = (async () => {
      for (let tick = 0; ticking; tick++) {
        // While the server is frozen this waits; errors (the restart tests below) do not matter here.
        await admin.core
          .patchNamespacedService(
            { name: "ticker", namespace: NAMESPACE, body: { metadata: { annotations: { tick: String(tick) } } } },
            setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
          )
          .catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    })();
    const watchdog = new ClusterCache({
      name: "watchdog",
      kubeConfig: kubeConfigFrom(controlPlane.portalKubeconfig),
      settings: { tenantLabelKey: TENANT_LABEL_KEY, watchSilenceTimeoutMs: silenceMs },
      resources: ["services"],
      volumeStatsIntervalMs: 60_000,
      backoff: { initialMs: 100, maxMs: 1_000 },
    });
    const services = () => watchdog.freshness().find((feed) => feed.kind === "services")!;
    let paused = false;
    try {
      watchdog.start();
      expect(await watchdog.whenWarm(15_000), "the watchdog cache's services feed did not sync in 15 s").toBe(true);
      // Busy, so never silent for the timeout: it stays fresh for longer than the timeout.
      const quietUntil = Date.now() + 2 * silenceMs;
      while (Date.now() < quietUntil) {
        expect(services().stale, "the busy services feed went stale with the server running").toBe(false);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      const pausedAt = Date.now();
      controlPlane.pauseApiServer();
      paused = true;
      // After the silence, the check (a one-item list, as long as the silence here) gets no answer either.
      const stale = await waitFor(
        "the services feed stale while the server is frozen",
        () => (services().stale ? services() : undefined),
        2 * silenceMs + 5_000,
      );
      expect(stale.error).toBe(`No event or bookmark for ${silenceMs / 1000} s, so the watch was restarted`);
      // Dated from the last event heard, before the freeze, not from when the watchdog noticed.
      expect(Date.parse(stale.staleSince!)).toBeLessThanOrEqual(pausedAt + 500);

      controlPlane.resumeApiServer();
      paused = false;
      await waitFor("the services feed fresh once the server answers again", () => !services().stale, 30_000);
      ticking = false;
      await ticker;
      const latest = await admin.core.readNamespacedService({ name: "ticker", namespace: NAMESPACE });
      await waitFor(
        "the ticker's last change in the watchdog cache",
        () => watchdog.get("services", NAMESPACE, "ticker")?.metadata.resourceVersion === latest.metadata?.resourceVersion,
        15_000,
      );
    } finally {
      if (paused) controlPlane.resumeApiServer();
      ticking = false;
      await ticker;
      await watchdog.stop();
    }
  }, 90_000);

  it("reports every feed stale, in words, while the API server is stopped", async () => {
    const stoppedAt = Date.now();
    await controlPlane.stopApiServer();
    // While it shuts down a watch may be answered otherwise (a 503, a closed stream); once the
    // process is gone every retry is refused, and each feed says so.
    const down = await waitFor(
      'every resource feed stale with "Kubernetes API unreachable"',
      () => (resourceFeeds().every((feed) => feed.stale && feed.error === "Kubernetes API unreachable") ? resourceFeeds() : undefined),
      20_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; feeds: ${JSON.stringify(resourceFeeds().map((feed) => [feed.kind, feed.stale, feed.error]))}`);
    });
    for (const feed of down) expect(Date.parse(feed.staleSince!), feed.kind).toBeGreaterThanOrEqual(stoppedAt - 1_000);
    // What was cached stays readable while the API is away.
    expect(cache.listForTenant("deployments", TENANT)).toHaveLength(1);
    expect(cache.isWarm()).toBe(true);
  }, 60_000);

  it("after the restart, every watch served by the watch cache is answered 410 Expired and relists; events resume from etcd", async () => {
    const relistsBefore = await watchCounts("relist");
    warnings.mockClear();
    await controlPlane.startApiServer();

    await waitFor(
      "a relist of every resource feed but events",
      async () => {
        const relists = await watchCounts("relist");
        return WATCH_CACHED.every((resource) => relists[resource] > relistsBefore[resource]);
      },
      60_000,
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}; relists ${JSON.stringify(await watchCounts("relist"))}, before ${JSON.stringify(relistsBefore)}`);
    });
    // A relist happens only after a 410: the restarted API server's watch cache starts at the
    // current etcd revision and refuses the older resourceVersions the feeds resume from.
    const logged = warnings.mock.calls.map((call) => String(call[0]));
    const loggedFor = (resource: string) => logged.filter((line) => line.startsWith(`[cluster-cache] ${resource}:`));
    for (const resource of WATCH_CACHED) {
      expect(
        loggedFor(resource).some((line) => line.includes("Watch history expired (410 Gone): too old resource version")),
        `${resource} logged: ${loggedFor(resource).join(" | ")}`,
      ).toBe(true);
    }
    // No event is made here: the events watch gets no bookmarks and nothing else happens in the
    // cluster now, so after a 403 in the first seconds of the restart the feed is live again by its
    // reopened watch and a one-item list (watch-stream.ts), not by data.
    await waitFor("every resource feed fresh again", () => resourceFeeds().every((feed) => !feed.stale && !feed.error), 30_000).catch((error: Error) => {
      throw new Error(`${error.message}; feeds: ${JSON.stringify(resourceFeeds().map((feed) => [feed.kind, feed.stale, feed.error]))}`);
    });

    // Changes after the restart arrive through the new watches.
    await admin.core.createNamespacedService({
      namespace: NAMESPACE,
      body: { metadata: { name: "after-restart", labels: { [TENANT_LABEL_KEY]: TENANT } }, spec: { ports: [{ port: 80 }] } },
    });
    await waitFor("the Service made after the restart in the cache", () => cache.get("services", NAMESPACE, "after-restart"), 15_000);
    await admin.core.createNamespacedEvent({
      namespace: NAMESPACE,
      body: {
        metadata: { name: "after-restart" },
        involvedObject: { kind: "Service", namespace: NAMESPACE, name: "after-restart" },
        reason: "Probe",
        message: "made by the test after the restart",
        type: "Normal",
      },
    });
    await waitFor("the Event made after the restart in the cache", () => cache.get("events", NAMESPACE, "after-restart"), 15_000);
    const forbiddenAfterRestart = logged.filter((line) => line.includes("(403)")).map((line) => line.slice("[cluster-cache] ".length, line.indexOf(":")));
    // Seen here: for a moment after the restart, the RBAC authorizer (its informers not synced
    // yet) refuses some watches with 403; the feeds retry and recover like after any error.
    console.log(
      `[real-cluster] after the restart: events relisted ${(await watchCounts("relist")).events - relistsBefore.events} time(s); transient 403s: ${forbiddenAfterRestart.join(", ") || "none"}`,
    );
    await expectCacheEqualsApi(15_000);
    expect(cache.isWarm()).toBe(true);
  }, 120_000);
});

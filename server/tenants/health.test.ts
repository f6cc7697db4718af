import { describe, expect, it } from "vitest";
import { NOW, clusterBasics, podStates, tenantFixture, warmStore, type PodState, type TenantFixture, type Raw } from "@/scripts/test-support/cluster-fixtures";
import { ClusterStore } from "@/server/kube/cluster-store";
import { KubeError } from "@/server/kube/kube-error";
import { FixtureCluster } from "@/scripts/test-support/fixture-cluster";
import type { TenantMigrationState, TenantMigrationStateOrNative } from "@/lib/migration/tenant-states";
import { summarizeFleet } from "./fleet-query";
import { TenantDirectory, buildTenantDetail, buildTenantSummary } from "./tenant-view";

function summarize(fixture: TenantFixture, prepare?: (store: ClusterStore) => void) {
  const store = warmStore([...clusterBasics(), ...fixture.objects]);
  prepare?.(store);
  return buildTenantSummary(store, fixture.record, { lostNodes: new Set(), now: NOW });
}

describe("tenant health, one demo problem at a time", () => {
  it("healthy: one ready replica, no problems", () => {
    const summary = summarize(tenantFixture("acme"));
    expect(summary).toMatchObject({ health: "healthy", healthReason: "Running, 1 replica ready", readyReplicas: 1, desiredReplicas: 1, restarts: 0 });
    expect(summary.problems).toEqual([]);
  });

  it("crash loop: down, in plain words with restarts, since the pod went unready", () => {
    const summary = summarize(tenantFixture("crashy", { pod: podStates.crashLoop(5) }));
    expect(summary.health).toBe("down");
    expect(summary.problems).toHaveLength(1);
    expect(summary.problems[0]).toMatchObject({
      kind: "crash-loop",
      severity: "critical",
      title: "Odoo keeps crashing (CrashLoopBackOff, 5 restarts)",
      since: "2026-11-23T11:20:00.000Z",
      objectRef: { kind: "Pod", namespace: "tenant-crashy" },
    });
    expect(summary.problems[0].detail).toContain("exit code 1");
    expect(summary.healthReason).toBe(summary.problems[0].title);
    expect(summary.restarts).toBe(5);
  });

  it("crash loop between two crashes (Running, not ready, failed last exit) stays a crash loop", () => {
    const summary = summarize(tenantFixture("blinky", { pod: podStates.crashLoopBetweenCrashes(6) }));
    expect(summary.health).toBe("down");
    expect(summary.problems[0]).toMatchObject({ kind: "crash-loop", severity: "critical", title: "Odoo keeps crashing (restarting after Error, 6 restarts)" });
    expect(summary.problems[0].detail).toContain("exit code 1");
  });

  it("a pod that crashed long ago, or only twice, is not called a crash loop", () => {
    const old = summarize(tenantFixture("settled", { pod: podStates.crashLoopBetweenCrashes(6, 30) }));
    expect(old.problems.map((p) => p.kind)).not.toContain("crash-loop");
    const twice = summarize(tenantFixture("twice", { pod: podStates.crashLoopBetweenCrashes(2) }));
    expect(twice.problems.map((p) => p.kind)).not.toContain("crash-loop");
  });

  it("OOMKilled: a crash loop whose last exit was the OOM killer names memory", () => {
    const summary = summarize(tenantFixture("hungry", { pod: podStates.crashLoop(3, "OOMKilled", 137) }));
    expect(summary.health).toBe("down");
    expect(summary.problems[0]).toMatchObject({ kind: "oom-killed", title: "Odoo runs out of memory (OOMKilled, 3 restarts)" });
    expect(summary.problems[0].detail).toContain("memory limit of 1Gi");
  });

  it("OOMKilled between kills: running again, still reported (warning) with restarts", () => {
    const summary = summarize(tenantFixture("leaky", { pod: podStates.oomRecovered(4) }));
    expect(summary.health).toBe("degraded");
    expect(summary.problems[0]).toMatchObject({
      kind: "oom-killed",
      severity: "warning",
      title: "Odoo was killed for running out of memory (OOMKilled, 4 restarts)",
      since: "2026-11-23T11:50:00.000Z",
    });
  });

  it("image pull: names the image that cannot be pulled", () => {
    const summary = summarize(tenantFixture("typo", { pod: podStates.imagePull() }));
    expect(summary.health).toBe("down");
    expect(summary.problems[0]).toMatchObject({ kind: "image-pull", title: "Odoo image cannot be pulled (ImagePullBackOff: odoo:17.0-typo)" });
  });

  it("ErrImagePull counts as an image problem too", () => {
    const summary = summarize(tenantFixture("typo2", { pod: podStates.imagePull("ErrImagePull") }));
    expect(summary.problems[0].kind).toBe("image-pull");
  });

  it("unschedulable: quotes the scheduler", () => {
    const summary = summarize(tenantFixture("big", { pod: podStates.unschedulable() }));
    expect(summary.health).toBe("down");
    expect(summary.problems[0]).toMatchObject({
      kind: "unschedulable",
      title: "Pod cannot be scheduled: 0/3 nodes are available: 3 Insufficient memory.",
      since: "2026-11-23T11:45:00.000Z",
    });
  });

  it("PVC pending on a storage class the cluster lacks", () => {
    const summary = summarize(tenantFixture("nostore", { storageClass: "fast-ssd", pvcPending: true, pod: podStates.containerCreating() }));
    const problem = summary.problems.find((p) => p.kind === "pvc-pending");
    expect(problem).toMatchObject({ severity: "critical", title: 'Filestore volume is pending: storage class "fast-ssd" does not exist' });
    expect(summary.health).toBe("down");
  });

  it("volume above 90%: degraded with the percentage, expandable or not", () => {
    const fixture = tenantFixture("full");
    const summary = summarize(fixture, (store) =>
      store.setVolumeUsage(
        [{ namespace: "tenant-full", pvc: "odoo-filestore", usedBytes: 93 * 1024 ** 3, capacityBytes: 100 * 1024 ** 3, observedAt: NOW.toISOString() }],
        { replaceMissing: true },
      ),
    );
    expect(summary.health).toBe("degraded");
    expect(summary.storageUsedPercent).toBe(93);
    expect(summary.problems[0]).toMatchObject({ kind: "volume-full", severity: "warning", title: "Filestore volume 93% full" });
    expect(summary.problems[0].detail).toContain("can be expanded");
  });

  it("volume at 97% is critical", () => {
    const summary = summarize(tenantFixture("fuller"), (store) =>
      store.setVolumeUsage([{ namespace: "tenant-fuller", pvc: "odoo-filestore", usedBytes: 97, capacityBytes: 100, observedAt: NOW.toISOString() }], {
        replaceMissing: true,
      }),
    );
    expect(summary.problems[0].severity).toBe("critical");
  });

  it("stopped: scaled to 0 replicas", () => {
    const summary = summarize(tenantFixture("paused", { replicas: 0 }));
    expect(summary).toMatchObject({ health: "stopped", healthReason: "Stopped: scaled to 0 replicas", desiredReplicas: 0, problems: [] });
  });

  it("suspended: billing status wins over stopped", () => {
    const summary = summarize(tenantFixture("unpaid", { replicas: 0, billingStatus: "suspended" }));
    expect(summary).toMatchObject({ health: "suspended", healthReason: "Suspended for billing; scaled to 0 replicas" });
  });

  it("failed backup: the latest backup Job failed", () => {
    const summary = summarize(tenantFixture("nobackup", { backupFailed: true }));
    expect(summary.health).toBe("degraded");
    expect(summary.problems[0]).toMatchObject({ kind: "backup-failed", severity: "warning", title: "Backup job failed", since: "2026-11-22T02:05:00Z" });
    expect(summary.problems[0].detail).toContain("backoff limit");
  });

  it("missing workload: a registry record with nothing in the cluster", () => {
    const summary = summarize(tenantFixture("ghost", { noWorkload: true }));
    expect(summary.health).toBe("missing");
    expect(summary.problems).toEqual([expect.objectContaining({ kind: "missing-workload", severity: "critical" })]);
  });

  it("provisioning: a new pod still ContainerCreating is not a failure", () => {
    const summary = summarize(tenantFixture("fresh", { pod: podStates.containerCreating() }));
    expect(summary).toMatchObject({ health: "provisioning", healthReason: "Starting: pod ContainerCreating", problems: [] });
  });

  it("crash loop in a sidecar: down, although kubectl words it Init:CrashLoopBackOff, not still starting", () => {
    const sidecarCrashing: PodState = (pod) => {
      pod.spec.initContainers = [{ name: "log-shipper", image: "fluent-bit:3.1", restartPolicy: "Always" }];
      pod.status.conditions = pod.status.conditions.map((c: Raw) =>
        c.type === "Ready" ? { ...c, status: "False", lastTransitionTime: "2026-11-23T11:20:00Z" } : c,
      );
      pod.status.initContainerStatuses = [
        {
          name: "log-shipper",
          ready: false,
          started: false,
          restartCount: 4,
          state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 2m40s restarting failed container=log-shipper" } },
          lastState: { terminated: { reason: "Error", exitCode: 1, finishedAt: "2026-11-23T11:58:00Z" } },
        },
      ];
    };
    const summary = summarize(tenantFixture("shipper", { pod: sidecarCrashing }));
    expect(summary.health).toBe("down");
    expect(summary.problems[0]).toMatchObject({ kind: "crash-loop", severity: "critical", title: "Odoo keeps crashing (Init:CrashLoopBackOff, 4 restarts)" });
    expect(summary.problems[0].detail).toContain("exit code 1");
  });

  it("provisioning: a pod initializing beside its started sidecar (Init:1/2) is starting", () => {
    const initializing: PodState = (pod) => {
      pod.status.phase = "Pending";
      pod.spec.initContainers = [
        { name: "log-shipper", image: "fluent-bit:3.1", restartPolicy: "Always" },
        { name: "migrate", image: "odoo:17.0" },
      ];
      pod.status.conditions = pod.status.conditions.map((c: Raw) => (c.type === "Initialized" || c.type === "Ready" ? { ...c, status: "False" } : c));
      pod.status.initContainerStatuses = [
        { name: "log-shipper", ready: true, started: true, restartCount: 0, state: { running: {} }, lastState: {} },
        { name: "migrate", ready: false, started: true, restartCount: 0, state: { running: {} }, lastState: {} },
      ];
      pod.status.containerStatuses = [
        { name: "odoo", ready: false, started: false, restartCount: 0, state: { waiting: { reason: "PodInitializing" } }, lastState: {} },
      ];
    };
    const summary = summarize(tenantFixture("migrating", { pod: initializing }));
    expect(summary).toMatchObject({ health: "provisioning", healthReason: "Starting: pod Init:1/2", problems: [] });
  });

  it("provisioning: a brand-new record whose namespace exists but has no Deployment yet", () => {
    const fixture = tenantFixture("brandnew", { recordCreatedAt: new Date(NOW.getTime() - 60_000).toISOString() });
    fixture.objects = fixture.objects.filter((o) => o.resource === "namespaces");
    expect(summarize(fixture).health).toBe("provisioning");
  });

  it("node lost: a pod on a node that stopped reporting Ready", () => {
    const fixture = tenantFixture("stranded");
    const store = warmStore([...clusterBasics(), ...fixture.objects]);
    const summary = buildTenantSummary(store, fixture.record, { lostNodes: new Set(["node-1"]), now: NOW });
    expect(summary.problems[0]).toMatchObject({ kind: "node-lost", title: "Node node-1 is not ready" });
  });

  it("unknown until the cache has listed everything", () => {
    const fixture = tenantFixture("early");
    const cold = new ClusterStore({ tenantLabelKey: "saasodoo.instance.id", feeds: ["pods", "deployments"] });
    expect(buildTenantSummary(cold, fixture.record, { lostNodes: new Set(), now: NOW })).toMatchObject({ health: "unknown", problems: [] });
  });
});

describe("registry ⨝ several clusters", () => {
  const unreachable = () => new KubeError({ kind: "unreachable", cause: new Error("connect ECONNREFUSED 127.0.0.1:6443") });

  function twoClusters() {
    const east = tenantFixture("eastshop");
    const west = tenantFixture("westshop");
    const nowhere = tenantFixture("marsshop");
    // The east tenant's id also labels a workload in west: there, where the registry does not place it, an orphan.
    const eastCopy = tenantFixture("eastshop");
    const eastCluster = warmStore([...clusterBasics(), ...east.objects], { coalesceMs: 0, name: "east" });
    const westCluster = warmStore([...clusterBasics(), ...west.objects, ...eastCopy.objects], { coalesceMs: 0, name: "west" });
    const records = [
      { ...east.record, cluster: "east" },
      { ...west.record, cluster: "west" },
      { ...nowhere.record, cluster: "mars" },
    ];
    const directory = new TenantDirectory({ clusters: [eastCluster, westCluster], loadRegistry: async () => records, now: () => NOW });
    return { east, west, nowhere, eastCluster, westCluster, directory };
  }

  it("joins each registry row with the cluster it names, lists a row of an unread cluster as unknown with the reason, and finds orphans per cluster", async () => {
    const { east, west, nowhere, directory } = twoClusters();
    await directory.ready();
    expect(directory.summary(east.record.id)).toMatchObject({ cluster: "east", health: "healthy", namespace: "tenant-eastshop" });
    expect(directory.summary(west.record.id)).toMatchObject({ cluster: "west", health: "healthy" });
    expect(directory.summary(nowhere.record.id)).toMatchObject({
      cluster: "mars",
      health: "unknown",
      healthReason: 'Runs in cluster "mars", which this portal is not connected to (it reads "east", "west")',
    });
    expect(directory.detail(nowhere.record.id)).toMatchObject({ health: "unknown", pods: [], events: [] });
    expect(directory.orphans().map((orphan) => [orphan.cluster, orphan.instanceId])).toEqual([["west", east.record.id]]);
    expect(directory.orphanDetail(east.record.id)).toMatchObject({ cluster: "west", instanceId: east.record.id });
    expect(directory.orphanDetail(east.record.id, "east")).toBeUndefined();
    expect(directory.clusterOf(west.record.id)?.name).toBe("west");
    expect(directory.clusterOf(nowhere.record.id)).toBeUndefined();
    expect(directory.clusterOverview()).toEqual([
      { name: "east", state: "live", tenants: 1 },
      { name: "west", state: "live", tenants: 1 },
      { name: "mars", state: "not-connected", tenants: 1 },
    ]);
    expect(new Set(directory.freshness().map((feed) => feed.cluster))).toEqual(new Set(["east", "west"]));
  });

  it("a cluster that cannot be listed at start holds no read back: its tenants are unknown saying why, the other's are known", async () => {
    const east = tenantFixture("eastshop");
    const west = tenantFixture("westshop");
    const eastCluster = warmStore([...clusterBasics(), ...east.objects], { coalesceMs: 0, name: "east" });
    const westCluster = new FixtureCluster({
      tenantLabelKey: "saasodoo.instance.id",
      feeds: ["pods", "deployments", "namespaces"],
      coalesceMs: 0,
      name: "west",
    });
    westCluster.apply("pods", { type: "error", error: unreachable(), retryInMs: 1_000 });
    const directory = new TenantDirectory({
      clusters: [eastCluster, westCluster],
      loadRegistry: async () => [
        { ...east.record, cluster: "east" },
        { ...west.record, cluster: "west" },
      ],
      now: () => NOW,
    });
    const started = Date.now();
    await directory.ready({ warmTimeoutMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(directory.summary(east.record.id)?.health).toBe("healthy");
    expect(directory.summary(west.record.id)).toMatchObject({
      health: "unknown",
      healthReason: expect.stringMatching(/^Cluster west could not be listed yet: Kubernetes API unreachable/),
    });
    expect(directory.clusterOverview().find((cluster) => cluster.name === "west")).toMatchObject({
      state: "stale",
      error: expect.stringContaining("unreachable"),
    });
  });

  it("one cluster's watches down marks only its tenants stale, and they are fresh again once it answers", async () => {
    const { east, west, westCluster, directory } = twoClusters();
    directory.start();
    await directory.ready();
    directory.summaries();
    const downAt = Date.parse("2026-11-23T10:40:00.000Z");
    for (const feed of ["pods", "deployments", "namespaces"] as const)
      westCluster.apply(feed, { type: "error", error: unreachable(), retryInMs: 1_000 }, downAt);
    westCluster.flushChanges();
    expect(directory.summary(west.record.id)).toMatchObject({
      health: "healthy",
      stale: { since: "2026-11-23T10:40:00.000Z", error: expect.stringContaining("Kubernetes API unreachable") },
    });
    expect(directory.summary(east.record.id)?.stale).toBeUndefined();
    expect(directory.clusterOverview().find((cluster) => cluster.name === "west")).toMatchObject({ state: "stale", staleSince: "2026-11-23T10:40:00.000Z" });
    expect(directory.clusterOverview().find((cluster) => cluster.name === "east")).toMatchObject({ state: "live" });

    for (const feed of ["pods", "deployments", "namespaces"] as const) westCluster.apply(feed, { type: "bookmark", resourceVersion: "99999" });
    westCluster.flushChanges();
    expect(directory.summary(west.record.id)?.stale).toBeUndefined();
    directory.stop();
  });
});

describe("registry ⨝ cluster", () => {
  it("lists a Deployment whose instance id matches no record as an orphan", async () => {
    const known = tenantFixture("known");
    const stray = tenantFixture("stray");
    const store = warmStore([...clusterBasics(), ...known.objects, ...stray.objects]);
    const directory = new TenantDirectory({ clusters: [store], loadRegistry: async () => [known.record], now: () => NOW });
    await directory.ready();
    expect(directory.summaries().map((s) => s.id)).toEqual([known.record.id]);
    expect(directory.orphans()).toEqual([
      {
        cluster: "default",
        namespace: "tenant-stray",
        name: stray.record.name,
        kind: "Deployment",
        instanceId: stray.record.id,
        since: "2026-01-10T09:01:00Z",
      },
    ]);
  });

  it("an orphan's detail lists its objects and events and says how it was found; a tenant is no orphan", async () => {
    const known = tenantFixture("known");
    const stray = tenantFixture("stray");
    const store = warmStore([...clusterBasics(), ...known.objects, ...stray.objects]);
    const directory = new TenantDirectory({ clusters: [store], loadRegistry: async () => [known.record], now: () => NOW });
    await directory.ready();
    const detail = directory.orphanDetail(stray.record.id)!;
    expect(detail).toMatchObject({
      instanceId: stray.record.id,
      namespace: "tenant-stray",
      services: [stray.record.name],
      ingressHosts: ["stray.odoo.example.com"],
    });
    expect(detail.deployments).toHaveLength(1);
    expect(detail.pods.map((pod) => pod.status)).toEqual(["Running"]);
    expect(detail.pvcs).toHaveLength(1);
    expect(detail.events.length).toBeGreaterThan(0);
    expect(detail.foundBy.labelKey).toBe("saasodoo.instance.id");
    expect(detail.foundBy.reason).toContain(`Deployment tenant-stray/${stray.record.name} carries the label saasodoo.instance.id=${stray.record.id}`);
    expect(detail.foundBy.reason).toContain("no record");
    expect(JSON.stringify(detail)).not.toContain("hunter2");
    expect(directory.orphanDetail(known.record.id)).toBeUndefined();
  });

  it("detail joins deployment, pods, PVC usage, service, ingress, events and backups without secrets", () => {
    const fixture = tenantFixture("detail");
    const store = warmStore([...clusterBasics(), ...fixture.objects]);
    const summary = buildTenantSummary(store, fixture.record, { lostNodes: new Set(), now: NOW });
    const detail = buildTenantDetail(store, fixture.record, summary);
    expect(detail.deployment).toMatchObject({ desired: 1, ready: 1, image: "odoo:17.0", status: "available", lastRollout: { revision: "1" } });
    expect(detail.pods[0]).toMatchObject({ status: "Running", ready: "1/1", nodeName: "node-1" });
    expect(detail.pvcs[0]).toMatchObject({ phase: "Bound", storageClass: "ceph-rbd", expandable: true, capacity: "20Gi" });
    expect(detail.service?.ports[0].port).toBe(8069);
    expect(detail.ingressHosts).toEqual(["detail.odoo.example.com"]);
    expect(detail.events[0]).toMatchObject({ reason: "ScalingReplicaSet", type: "Normal" });
    expect(detail.backups.map((b) => b.status)).toEqual(["succeeded", "succeeded"]);
    const serialised = JSON.stringify(detail) + JSON.stringify(store.list("pods")) + JSON.stringify(store.list("deployments"));
    expect(serialised).not.toContain("hunter2");
    expect(serialised).not.toContain("PGPASSWORD");
    expect(serialised).not.toContain("managedFields");
    expect(serialised).not.toContain("last-applied-configuration");
  });

  it("recomputes only tenants whose objects changed", async () => {
    const a = tenantFixture("alpha");
    const b = tenantFixture("bravo");
    const store = warmStore([...clusterBasics(), ...a.objects, ...b.objects], { coalesceMs: 0 });
    const directory = new TenantDirectory({ clusters: [store], loadRegistry: async () => [a.record, b.record], now: () => NOW });
    directory.start();
    await directory.ready();
    const before = directory.summaries();
    const bravoBefore = directory.summary(b.record.id);
    const changed: string[] = [];
    directory.onTenantChange((id) => changed.push(id));

    const crashing = tenantFixture("alpha", { pod: podStates.crashLoop(2) }).objects.find((o) => o.resource === "pods")!;
    const { slimmers } = await import("@/server/kube/kinds");
    store.apply("pods", { type: "modified", object: slimmers.pods(crashing.raw), resourceVersion: "9999" });
    store.flushChanges();

    expect(changed).toEqual([a.record.id]);
    // Only the pod changed; the Deployment still counts its replica ready until its status catches up.
    expect(directory.summary(a.record.id)).toMatchObject({ health: "degraded", problems: [expect.objectContaining({ kind: "crash-loop" })] });
    expect(directory.summary(b.record.id)).toBe(bravoBefore);
    expect(directory.summaries()).not.toBe(before);
    directory.stop();
  });

  it("keeps its version (the list memo) while changes alter no summary, and bumps it when one does", async () => {
    const a = tenantFixture("alpha");
    const store = warmStore([...clusterBasics(), ...a.objects], { coalesceMs: 0 });
    const directory = new TenantDirectory({ clusters: [store], loadRegistry: async () => [a.record], now: () => NOW });
    directory.start();
    await directory.ready();
    directory.summaries();
    directory.orphans();
    const version = directory.version;
    const { slimmers } = await import("@/server/kube/kinds");

    // The same pod written again (a status heartbeat, a new resourceVersion): nothing to show.
    const pod = a.objects.find((o) => o.resource === "pods")!;
    store.apply("pods", {
      type: "modified",
      object: slimmers.pods({ ...pod.raw, metadata: { ...pod.raw.metadata, resourceVersion: "9998" } }),
      resourceVersion: "9998",
    });
    store.flushChanges();
    directory.summaries();
    directory.orphans();
    expect(directory.version).toBe(version);

    const crashing = tenantFixture("alpha", { pod: podStates.crashLoop(2) }).objects.find((o) => o.resource === "pods")!;
    store.apply("pods", { type: "modified", object: slimmers.pods(crashing.raw), resourceVersion: "9999" });
    store.flushChanges();
    directory.summaries();
    expect(directory.version).toBeGreaterThan(version);
    directory.stop();
  });
});

describe("the On Swarm rule: a tenant Swarm still serves is not a Kubernetes problem", () => {
  const at = (fixture: TenantFixture, migrationState: TenantMigrationStateOrNative) =>
    buildTenantSummary(warmStore([...clusterBasics(), ...fixture.objects]), fixture.record, { lostNodes: new Set(), now: NOW, migrationState });

  it("its Deployment at 0 replicas (prepared by the migration scripts) is On Swarm, not stopped", () => {
    const summary = at(tenantFixture("swarmy", { replicas: 0 }), "on-swarm");
    expect(summary).toMatchObject({
      health: "on-swarm",
      healthReason: "On Swarm: served by Docker Swarm, not migrated yet",
      problems: [],
      migrationState: "on-swarm",
    });
  });

  it("no workload at all is On Swarm too, never a critical missing workload; mid-migration says so", () => {
    const ghost = tenantFixture("swarm-ghost", { noWorkload: true });
    expect(at(ghost, "scheduled")).toMatchObject({ health: "on-swarm", problems: [] });
    expect(at(ghost, "stopped-on-swarm").healthReason).toMatch(/^Migrating: stopped on Swarm/);
    expect(at(ghost, "data-restored").healthReason).toMatch(/^Migrating: data restored/);
    expect(at(ghost, "rolled-back").health).toBe("on-swarm");
  });

  it("from started on Kubernetes on (and for native tenants) the ordinary rules apply", () => {
    expect(at(tenantFixture("moved", { replicas: 0 }), "started-on-kubernetes").health).toBe("stopped");
    expect(at(tenantFixture("moved-ghost", { noWorkload: true }), "verified").health).toBe("missing");
    expect(at(tenantFixture("native", { replicas: 0 }), "native").health).toBe("stopped");
    expect(at(tenantFixture("done"), "done").health).toBe("healthy");
  });

  it("what the cluster does hold is still checked: a prepared volume that is pending shows", () => {
    const summary = at(tenantFixture("swarm-pending", { replicas: 0, pvcPending: true, storageClass: "ceph-ssd" }), "backed-up");
    expect(summary.health).toBe("on-swarm");
    expect(summary.problems.map((p) => p.kind)).toEqual(["pvc-pending"]);
  });

  it("the directory holds the states in memory: loaded with the registry, changed when told, and the fleet counts know it", async () => {
    const swarm = tenantFixture("swarm-one", { replicas: 0 });
    const native = tenantFixture("native-one", { replicas: 0 });
    const store = warmStore([...clusterBasics(), ...swarm.objects, ...native.objects], { coalesceMs: 0 });
    let loads = 0;
    const states = new Map<string, TenantMigrationState>([[swarm.record.id, "on-swarm"]]);
    const directory = new TenantDirectory({
      clusters: [store],
      loadRegistry: async () => [swarm.record, native.record],
      loadMigrationStates: async () => {
        loads++;
        return new Map(states);
      },
      now: () => NOW,
    });
    await directory.ready();
    expect(directory.summary(swarm.record.id)).toMatchObject({ health: "on-swarm", migrationState: "on-swarm" });
    expect(directory.summary(native.record.id)).toMatchObject({ health: "stopped", migrationState: "native" });
    const fleet = summarizeFleet({ summaries: directory.summaries(), orphans: [], storagePressure: [], freshness: [], now: NOW });
    expect(fleet.byHealth).toMatchObject({ "on-swarm": 1, stopped: 1, missing: 0 });
    expect(fleet.attention).toEqual([]);

    // Reading summaries never queries: only the load at start so far.
    directory.summaries();
    directory.summary(swarm.record.id);
    expect(loads).toBe(1);

    const changed: string[] = [];
    directory.onTenantChange((id) => changed.push(id));
    const version = directory.version;
    directory.migrationStatesWritten([{ tenantId: swarm.record.id, state: "started-on-kubernetes" }]);
    expect(changed).toEqual([swarm.record.id]);
    expect(directory.summary(swarm.record.id)).toMatchObject({ health: "stopped", migrationState: "started-on-kubernetes" });
    expect(directory.version).toBeGreaterThan(version);

    // Another process rolled it back: the periodic re-read brings it.
    states.set(swarm.record.id, "rolled-back");
    await directory.reloadMigrationStates();
    expect(directory.summary(swarm.record.id)).toMatchObject({ health: "on-swarm", migrationState: "rolled-back" });
    directory.stop();
  });
});

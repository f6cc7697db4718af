import { afterEach, describe, expect, it } from "vitest";
import { Pod, type IPod } from "kubernetes-models/v1";
import { LogStore } from "../logs/log-store";
import { ObjectStore } from "../store/object-store";
import type { KubeObject } from "../store/types";
import { DEMO_PROBLEM_TENANTS, startFleet, type RunningFleet } from "../fleet/index";
import { parseCron } from "./cron-schedule";
import { isPodReady, type Condition } from "./kube-util";

let fleet: RunningFleet | undefined;
afterEach(() => fleet?.stop());

function cluster() {
  const store = new ObjectStore();
  const logs = new LogStore();
  fleet = startFleet({ store, logs, tenants: 12, scenario: "demo", seed: 5, speed: { lifecycle: 0.05, backoff: 0.01, slow: 0.002 } });
  const tenantOf = (db: string) => fleet!.plan.tenants.find((t) => t.databaseName === db)!;
  const odooPods = (ns: string) => store.list("core/pods", ns).filter((p) => p.metadata.labels?.["app.kubernetes.io/name"] === "odoo");
  return { store, logs, fleet, tenantOf, odooPods };
}

async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const healthyTenant = (f: RunningFleet) => f.plan.tenants.find((t) => !t.problem)!;

describe("controllers", () => {
  it("scales a deployment up and down through its ReplicaSet", async () => {
    const { store, fleet, odooPods } = cluster();
    const t = healthyTenant(fleet);
    const ns = `tenant-${t.databaseName}`;
    store.mutate("apps/deployments", ns, t.instanceName, (d) => void (d.spec.replicas = 3));
    await until("3 ready pods", () => odooPods(ns).filter((p) => isPodReady(p) && !p.metadata.deletionTimestamp).length === 3);
    const d = await until("deployment status", () => {
      const d = store.get("apps/deployments", ns, t.instanceName)!;
      return d.status.readyReplicas === 3 && d.status.observedGeneration === d.metadata.generation && d;
    });
    expect(d.status.conditions.find((c: Condition) => c.type === "Available").status).toBe("True");
    const fresh = odooPods(ns).find((p) => p.metadata.creationTimestamp && !p.metadata.deletionTimestamp)!;
    expect(() => new Pod(structuredClone(fresh) as IPod).validate()).not.toThrow();
    expect(store.list("core/events", ns).some((e) => e.reason === "ScalingReplicaSet" && e.message.includes("from 1 to 3"))).toBe(true);
    expect(store.list("core/events", ns).some((e) => e.reason === "Scheduled")).toBe(true);

    store.mutate("apps/deployments", ns, t.instanceName, (d) => void (d.spec.replicas = 0));
    await until("no pods", () => odooPods(ns).length === 0);
    expect(store.list("core/events", ns).some((e) => e.reason === "Killing")).toBe(true);
  });

  it("rolls out a template change (kubectl rollout restart) through a new ReplicaSet", async () => {
    const { store, fleet, odooPods } = cluster();
    const t = healthyTenant(fleet);
    const ns = `tenant-${t.databaseName}`;
    const before = odooPods(ns)[0].metadata.name;
    store.mutate("apps/deployments", ns, t.instanceName, (d) => {
      d.spec.template.metadata.annotations = { "kubectl.kubernetes.io/restartedAt": new Date().toISOString() };
    });
    const d = await until("rollout complete", () => {
      const d = store.get("apps/deployments", ns, t.instanceName)!;
      const p = d.status.conditions?.find((c: Condition) => c.type === "Progressing");
      return (
        d.status.observedGeneration === d.metadata.generation &&
        d.status.updatedReplicas === 1 &&
        d.status.availableReplicas === 1 &&
        d.status.replicas === 1 &&
        p?.reason === "NewReplicaSetAvailable" &&
        d
      );
    });
    const sets = store.list("apps/replicasets", ns);
    expect(sets).toHaveLength(2);
    expect(sets.map((rs) => rs.spec.replicas).sort()).toEqual([0, 1]);
    expect(d.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("2");
    await until("old pod gone", () => !odooPods(ns).some((p) => p.metadata.name === before));
  });

  it("restarts a crashing container with CrashLoopBackOff, then heals it", async () => {
    const { store, logs, fleet, odooPods } = cluster();
    const t = healthyTenant(fleet);
    const ns = `tenant-${t.databaseName}`;
    const res = await fleet.hooks.control(`tenants/${t.databaseName}/crash`, {});
    expect(res.status).toBe(200);
    const crashed = await until("restartCount >= 2", () => {
      const p = odooPods(ns)[0];
      const s = p?.status?.containerStatuses?.[0];
      return s && s.restartCount >= 2 && s.state.waiting?.reason === "CrashLoopBackOff" && p;
    });
    const cs = crashed.status.containerStatuses[0];
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 1, reason: "Error" });
    expect(cs.state.waiting.message).toMatch(/^back-off \d+s restarting failed container=odoo pod=/);
    expect(store.list("core/events", ns).find((e) => e.reason === "BackOff")!.count).toBeGreaterThanOrEqual(2);
    expect(logs.lines(ns, crashed.metadata.name, "odoo", { previous: true })!.some((l) => l.text.includes("OperationalError"))).toBe(true);

    await fleet.hooks.control(`tenants/${t.instanceId}/heal`, {});
    await until("ready again", () => isPodReady(odooPods(ns)[0]) && odooPods(ns)[0]);
  });

  it("heals the demo's crash-looping, image-pull and unschedulable tenants", async () => {
    const { store, fleet, odooPods } = cluster();
    for (const db of [DEMO_PROBLEM_TENANTS["crash-loop"], DEMO_PROBLEM_TENANTS["image-pull"], DEMO_PROBLEM_TENANTS.unschedulable]) {
      expect((await fleet.hooks.control(`tenants/${db}/heal`, {})).status).toBe(200);
    }
    for (const db of [DEMO_PROBLEM_TENANTS["crash-loop"], DEMO_PROBLEM_TENANTS["image-pull"], DEMO_PROBLEM_TENANTS.unschedulable]) {
      const ns = `tenant-${db}`;
      await until(`${db} ready`, () => odooPods(ns).some((p) => isPodReady(p) && !p.metadata.deletionTimestamp));
      await until(`${db} available`, () => store.list("apps/deployments", ns)[0].status.availableReplicas === 1);
    }
  });

  it("OOM kills with exit 137 and the image-pull fault shows ErrImagePull / ImagePullBackOff", async () => {
    const { fleet, odooPods } = cluster();
    const [a, b] = fleet.plan.tenants.filter((t) => !t.problem);
    await fleet.hooks.control(`tenants/${a.databaseName}/oom`, {});
    await until("OOMKilled", () => odooPods(`tenant-${a.databaseName}`)[0]?.status.containerStatuses[0].lastState?.terminated?.reason === "OOMKilled");
    expect(odooPods(`tenant-${a.databaseName}`)[0].status.containerStatuses[0].lastState.terminated.exitCode).toBe(137);
    await fleet.hooks.control(`tenants/${b.databaseName}/bad-image`, {});
    await until("ImagePullBackOff", () =>
      odooPods(`tenant-${b.databaseName}`).some((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === "ImagePullBackOff"),
    );
    // maxUnavailable 0 for one replica: the old pod keeps serving during the failed rollout.
    expect(odooPods(`tenant-${b.databaseName}`).some((p) => isPodReady(p))).toBe(true);
  });

  it("expands a PVC on ceph-rbd through FileSystemResizePending; local-path does not resize", async () => {
    const { store, fleet } = cluster();
    const ceph = fleet.plan.tenants.find((t) => !t.problem && t.storageClass === "ceph-rbd")!;
    const ns = `tenant-${ceph.databaseName}`;
    const grown = `${ceph.storageGi + 10}Gi`;
    const seen = new Set<string>();
    store.on((ev) => {
      if (ev.resource === "core/persistentvolumeclaims" && ev.object.metadata.namespace === ns)
        for (const c of ev.object.status?.conditions ?? []) seen.add(c.type);
    });
    store.mutate("core/persistentvolumeclaims", ns, "odoo-filestore", (d) => void (d.spec.resources.requests.storage = grown));
    const done = await until("capacity updated", () => {
      const c = store.get("core/persistentvolumeclaims", ns, "odoo-filestore")!;
      return c.status.capacity.storage === grown && c;
    });
    expect(done.status.conditions).toBeUndefined();
    expect([...seen]).toEqual(["Resizing", "FileSystemResizePending"]);
    expect(store.get("core/persistentvolumes", undefined, done.spec.volumeName)!.spec.capacity.storage).toBe(grown);
    const reasons = store.list("core/events", ns).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(["Resizing", "FileSystemResizeSuccessful"]));

    const local = store.list("core/persistentvolumeclaims").find((c) => c.spec.storageClassName === "local-path" && c.status.phase === "Bound")!;
    const before = local.status.capacity.storage;
    store.mutate("core/persistentvolumeclaims", local.metadata.namespace, local.metadata.name, (d) => void (d.spec.resources.requests.storage = "99Gi"));
    await new Promise((r) => setTimeout(r, 300));
    expect(store.get("core/persistentvolumeclaims", local.metadata.namespace, local.metadata.name)!.status.capacity.storage).toBe(before);
  });

  it("provisions and binds a new claim, and reports a missing storage class", async () => {
    const { store, fleet } = cluster();
    const ns = `tenant-${healthyTenant(fleet).databaseName}`;
    const claim = (name: string, storageClassName: string): KubeObject => ({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name, namespace: ns },
      spec: { accessModes: ["ReadWriteOnce"], storageClassName, resources: { requests: { storage: "5Gi" } } },
    });
    store.create("core/persistentvolumeclaims", claim("extra", "ceph-rbd"));
    store.create("core/persistentvolumeclaims", claim("broken", "nope"));
    await until("bound", () => store.get("core/persistentvolumeclaims", ns, "extra")!.status?.phase === "Bound");
    expect(store.list("core/events", ns).some((e) => e.reason === "ProvisioningSucceeded")).toBe(true);
    await until("ProvisioningFailed", () =>
      store.list("core/events", ns).find((e) => e.reason === "ProvisioningFailed" && e.message === 'storageclass.storage.k8s.io "nope" not found'),
    );
  });

  it("runs backup jobs to Complete, or Failed with BackoffLimitExceeded", async () => {
    const { store, fleet } = cluster();
    const ok = healthyTenant(fleet);
    const bad = DEMO_PROBLEM_TENANTS["backup-failed"];
    const okRes = (await fleet.hooks.control(`tenants/${ok.databaseName}/backup`, {})) as { body: { job: string } };
    const badRes = (await fleet.hooks.control(`tenants/${bad}/backup`, {})) as { body: { job: string } };
    const cond = (ns: string, job: string, type: string) =>
      store.get("batch/jobs", ns, job)?.status?.conditions?.find((c: Condition) => c.type === type && c.status === "True");
    await until("complete", () => cond(`tenant-${ok.databaseName}`, okRes.body.job, "Complete"));
    const failed = await until("failed", () => cond(`tenant-${bad}`, badRes.body.job, "Failed"), 10_000);
    expect(failed.reason).toBe("BackoffLimitExceeded");
    const cj = await until("lastSuccessfulTime", () => {
      const c = store.get("batch/cronjobs", `tenant-${ok.databaseName}`, "odoo-backup")!;
      return !c.status.active && c;
    });
    expect(cj.status.lastScheduleTime).toBeDefined();
    expect(store.list("core/events", `tenant-${ok.databaseName}`).some((e) => e.reason === "SawCompletedJob")).toBe(true);
  });

  it("takes a node away and back: pods are evicted and rescheduled elsewhere", async () => {
    const { store, fleet, odooPods } = cluster();
    const t = healthyTenant(fleet);
    const ns = `tenant-${t.databaseName}`;
    const node = odooPods(ns)[0].spec.nodeName;
    expect((await fleet.hooks.control(`nodes/${node}/down`, {})).status).toBe(200);
    expect(store.get("core/nodes", undefined, node)!.status.conditions.find((c: Condition) => c.type === "Ready").status).toBe("Unknown");
    await until("replacement elsewhere", () => odooPods(ns).some((p) => p.spec.nodeName && p.spec.nodeName !== node && isPodReady(p)), 10_000);
    await fleet.hooks.control(`nodes/${node}/up`, {});
    await until("terminating pod removed", () => odooPods(ns).every((p) => p.spec.nodeName !== node));
  });
});

describe("cron schedules", () => {
  it("finds the next run of daily, stepped and macro schedules", () => {
    const from = Date.parse("2026-11-23T10:07:30Z");
    expect(new Date(parseCron("30 2 * * *").next(from)).toISOString()).toBe("2026-11-24T02:30:00.000Z");
    expect(new Date(parseCron("*/15 * * * *").next(from)).toISOString()).toBe("2026-11-23T10:15:00.000Z");
    expect(new Date(parseCron("@hourly").next(from)).toISOString()).toBe("2026-11-23T11:00:00.000Z");
    expect(new Date(parseCron("0 3 * * 1").next(from)).toISOString()).toBe("2026-11-30T03:00:00.000Z");
    expect(() => parseCron("bad")).toThrow();
  });
});

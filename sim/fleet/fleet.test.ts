import { afterEach, describe, expect, it } from "vitest";
import { Deployment, ReplicaSet, StatefulSet } from "kubernetes-models/apps/v1";
import { CronJob, Job } from "kubernetes-models/batch/v1";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1";
import { StorageClass } from "kubernetes-models/storage.k8s.io/v1";
import { Event, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, ResourceQuota, Service } from "kubernetes-models/v1";
import { LogStore } from "../logs/log-store";
import type { Condition } from "../controllers/kube-util";
import { ObjectStore } from "../store/object-store";
import { DEMO_PROBLEM_TENANTS, startFleet, type RunningFleet } from "./index";

let fleet: RunningFleet | undefined;
afterEach(() => fleet?.stop());

function demo(tenants = 40) {
  const store = new ObjectStore();
  const logs = new LogStore();
  fleet = startFleet({ store, logs, tenants, scenario: "demo", seed: 1, speed: { lifecycle: 0.1, backoff: 0.01, slow: 0.01 } });
  const podOf = (db: string) => store.list("core/pods", `tenant-${db}`).find((p) => p.metadata.labels?.["app.kubernetes.io/name"] === "odoo");
  return { store, logs, fleet, podOf };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each model takes its own kind's shape; the test hands it what the store holds for that kind
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  "core/pods": Pod,
  "core/namespaces": Namespace,
  "core/nodes": Node,
  "core/services": Service,
  "core/events": Event,
  "core/resourcequotas": ResourceQuota,
  "core/persistentvolumeclaims": PersistentVolumeClaim,
  "core/persistentvolumes": PersistentVolume,
  "apps/deployments": Deployment,
  "apps/replicasets": ReplicaSet,
  "apps/statefulsets": StatefulSet,
  "batch/jobs": Job,
  "batch/cronjobs": CronJob,
  "networking.k8s.io/ingresses": Ingress,
  "storage.k8s.io/storageclasses": StorageClass,
};

describe("demo fleet", () => {
  it("generates the objects of every tenant and the platform, valid against the Kubernetes schemas", () => {
    const { store } = demo();
    expect(store.list("core/namespaces").filter((n) => n.metadata.name.startsWith("tenant-"))).toHaveLength(40);
    expect(store.count("core/nodes")).toBe(3);
    // The namespaces every real cluster has, which kubectl and scripts assume.
    for (const name of ["default", "kube-system", "kube-public", "kube-node-lease"])
      expect(store.get("core/namespaces", undefined, name)?.status?.phase).toBe("Active");
    expect(store.get("apps/statefulsets", "saasodoo", "postgres")).toBeDefined();
    expect(store.get("apps/deployments", "saasodoo", "instance-service")).toBeDefined();
    expect(store.get("storage.k8s.io/storageclasses", undefined, "ceph-rbd")?.allowVolumeExpansion).toBe(true);
    expect(store.get("storage.k8s.io/storageclasses", undefined, "local-path")?.allowVolumeExpansion).toBe(false);
    for (const [key, Model] of Object.entries(MODELS)) {
      const objects = store.list(key);
      expect(objects.length, key).toBeGreaterThan(0);
      for (const obj of objects) {
        try {
          new Model(structuredClone(obj)).validate();
        } catch (err) {
          throw new Error(`${key} ${obj.metadata.namespace}/${obj.metadata.name}: ${String(err)}`, { cause: err });
        }
      }
    }
  });

  it("labels tenant objects with the saasodoo instance vocabulary", () => {
    const { store } = demo();
    const ns = store.get("core/namespaces", undefined, `tenant-${DEMO_PROBLEM_TENANTS["crash-loop"]}`)!;
    const id = ns.metadata.labels!["saasodoo.instance.id"];
    const name = ns.metadata.labels!["saasodoo.instance.name"];
    expect(name).toBe(`odoo-${DEMO_PROBLEM_TENANTS["crash-loop"]}-${id.replace(/-/g, "").slice(0, 8)}`);
    expect(Object.keys(ns.metadata.annotations!)).toEqual(
      expect.arrayContaining([
        "saasodoo.io/display-name",
        "saasodoo.io/customer-email",
        "saasodoo.io/instance-type",
        "saasodoo.io/odoo-version",
        "saasodoo.io/billing-status",
      ]),
    );
    for (const key of ["apps/deployments", "core/services", "networking.k8s.io/ingresses", "core/persistentvolumeclaims", "batch/cronjobs", "core/pods"]) {
      for (const obj of store.list(key, ns.metadata.name)) expect(obj.metadata.labels?.["saasodoo.instance.id"], `${key} ${obj.metadata.name}`).toBe(id);
    }
    const d = store.get("apps/deployments", ns.metadata.name, name)!;
    expect(d.spec.template.spec.containers[0].livenessProbe.httpGet).toMatchObject({ path: "/web/health", port: 8069 });
    expect(store.get("networking.k8s.io/ingresses", ns.metadata.name, name)!.spec.rules[0].host).toBe(`${DEMO_PROBLEM_TENANTS["crash-loop"]}.odoo.example.com`);
  });

  it("shows each demo problem with the status shape a real cluster reports", () => {
    const { store, podOf, fleet } = demo();
    const crash = podOf(DEMO_PROBLEM_TENANTS["crash-loop"])!.status.containerStatuses[0];
    expect(crash.state.waiting.reason).toBe("CrashLoopBackOff");
    expect(crash.lastState.terminated).toMatchObject({ exitCode: 1, reason: "Error" });
    expect(crash.restartCount).toBeGreaterThan(5);

    const oom = podOf(DEMO_PROBLEM_TENANTS["oom-killed"])!.status.containerStatuses[0];
    expect(oom.lastState.terminated).toMatchObject({ exitCode: 137, reason: "OOMKilled" });

    const pull = podOf(DEMO_PROBLEM_TENANTS["image-pull"])!;
    expect(pull.status.containerStatuses[0].state.waiting.reason).toBe("ImagePullBackOff");
    expect(pull.spec.containers[0].image).toBe("odoo:17.0.1");

    const pending = podOf(DEMO_PROBLEM_TENANTS.unschedulable)!;
    expect(pending.spec.nodeName).toBeUndefined();
    expect(pending.status.conditions[0]).toMatchObject({ type: "PodScheduled", status: "False", reason: "Unschedulable" });
    expect(pending.status.conditions[0].message).toContain("0/3 nodes are available: 3 Insufficient memory.");

    const claim = store.get("core/persistentvolumeclaims", `tenant-${DEMO_PROBLEM_TENANTS["pvc-pending"]}`, "odoo-filestore")!;
    expect(claim.status.phase).toBe("Pending");
    const warnings = store.list("core/events", claim.metadata.namespace).filter((e) => e.reason === "ProvisioningFailed");
    expect(warnings[0].message).toBe('storageclass.storage.k8s.io "ceph-ssd" not found');

    for (const db of [DEMO_PROBLEM_TENANTS.stopped, DEMO_PROBLEM_TENANTS.suspended]) {
      expect(store.list("apps/deployments", `tenant-${db}`)[0].spec.replicas).toBe(0);
      expect(podOf(db)).toBeUndefined();
    }
    expect(store.get("core/namespaces", undefined, `tenant-${DEMO_PROBLEM_TENANTS.suspended}`)!.metadata.annotations!["saasodoo.io/billing-status"]).toBe(
      "suspended",
    );

    const orphanId = store.get("core/namespaces", undefined, `tenant-${DEMO_PROBLEM_TENANTS.orphaned}`)!.metadata.labels!["saasodoo.instance.id"];
    expect((fleet.hooks.registryExport() as { id: string }[]).some((r) => r.id === orphanId)).toBe(false);

    const jobs = store.list("batch/jobs", `tenant-${DEMO_PROBLEM_TENANTS["backup-failed"]}`);
    const latest = [...jobs].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)).at(-1)!;
    expect(latest.status.conditions.find((c: Condition) => c.type === "Failed")).toMatchObject({ status: "True", reason: "BackoffLimitExceeded" });

    const full = podOf(DEMO_PROBLEM_TENANTS["volume-full"])!;
    const summary = fleet.hooks.nodeStatsSummary(full.spec.nodeName) as {
      pods: { podRef: { name: string }; volume: { pvcRef: unknown; usedBytes: number; capacityBytes: number }[] }[];
    };
    const volume = summary.pods.find((p) => p.podRef.name === full.metadata.name)!.volume[0];
    expect(volume.pvcRef).toEqual({ name: "odoo-filestore", namespace: full.metadata.namespace });
    expect(volume.usedBytes / volume.capacityBytes).toBeGreaterThan(0.9);
  });

  it("serves pod and node metrics that follow each pod's state", () => {
    const { podOf, fleet } = demo();
    const metrics = fleet.hooks.podMetrics();
    const names = new Set(metrics.map((m) => m.metadata.name));
    expect(names.has(podOf(DEMO_PROBLEM_TENANTS.unschedulable)!.metadata.name)).toBe(false);
    const healthy = metrics.find((m) => m.metadata.namespace?.startsWith("tenant-"))!;
    expect(healthy.apiVersion).toBe("metrics.k8s.io/v1beta1");
    expect(healthy.containers[0].usage.cpu).toMatch(/^\d+n$/);
    expect(healthy.containers[0].usage.memory).toMatch(/^\d+Ki$/);
    expect(fleet.hooks.nodeMetrics()).toHaveLength(3);
  });

  it("writes Odoo logs with history and a previous log for restarted containers", () => {
    const { logs, podOf } = demo();
    const crash = podOf(DEMO_PROBLEM_TENANTS["crash-loop"])!;
    const previous = logs.lines(crash.metadata.namespace!, crash.metadata.name, "odoo", { previous: true })!;
    expect(previous.some((l) => l.text.includes("psycopg2.OperationalError"))).toBe(true);
    const healthy = podOf(DEMO_PROBLEM_TENANTS["volume-full"])!;
    const lines = logs.lines(healthy.metadata.namespace!, healthy.metadata.name, "odoo", { previous: false })!;
    expect(lines.length).toBeGreaterThan(10);
    expect(lines[0].text).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} 1 INFO \? odoo: Odoo version/);
    expect(lines.some((l) => /INFO atlas-archives werkzeug: [\d.]+ - - \[\d\d\/\w{3}\/\d{4} [\d:]+\] "GET \/web\/health HTTP\/1.1" 200 -/.test(l.text))).toBe(
      true,
    );
  });

  it("generates 10,000 tenants", () => {
    const store = new ObjectStore();
    fleet = startFleet({ store, logs: new LogStore(), tenants: 10_000, scenario: "scale", seed: 1 });
    expect(fleet.tenantCount).toBe(10_000);
    expect(store.list("core/namespaces").filter((n) => n.metadata.name.startsWith("tenant-"))).toHaveLength(10_000);
    expect(store.count("apps/deployments")).toBe(10_002);
    expect(store.count("core/nodes")).toBe(167);
    // Tenants still on Swarm (about 15 % of the untroubled ones) have their Deployment at 0: no pod.
    expect(store.count("core/pods")).toBeGreaterThan(17_500);
  }, 120_000);
});

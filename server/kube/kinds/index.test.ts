import { describe, expect, it } from "vitest";
import { podStates, TENANT_LABEL, tenantFixture, type Raw } from "@/scripts/test-support/cluster-fixtures";
import { createSlimmers, slimmers } from "./index";

// The cache holds ~90,000 slimmed objects at 10,000 tenants: these pin what is kept to what the
// readers (status derivation, health, tenant view, logs) use, so a field does not creep back.
function rawOf(resource: string, options: Parameters<typeof tenantFixture>[1] = {}) {
  return tenantFixture("slim", options)
    .objects.filter((o) => o.resource === resource)
    .map((o) => structuredClone(o.raw) as Raw);
}

const tenantId = tenantFixture("slim").record.id;

describe("slimmed objects keep exactly what readers use", () => {
  it("a running pod: tenant label, owner kind, the three read conditions as type/status, container facts", () => {
    const [raw] = rawOf("pods");
    raw.metadata.ownerReferences[0].apiVersion = "apps/v1";
    raw.status.conditions.unshift({ type: "PodReadyToStartContainers", status: "True", lastTransitionTime: "2026-11-23T10:00:02Z" });
    raw.status.conditions[1].lastTransitionTime = "2026-11-23T10:00:01Z";
    raw.status.containerStatuses[0].imageID = "docker.io/library/odoo@sha256:abc";
    expect(slimmers.pods(raw)).toEqual({
      kind: "Pod",
      metadata: {
        name: raw.metadata.name,
        namespace: "tenant-slim",
        resourceVersion: raw.metadata.resourceVersion,
        creationTimestamp: "2026-01-10T09:01:00Z",
        labels: { [TENANT_LABEL]: tenantId },
        annotations: {},
        ownerReferences: [{ kind: "ReplicaSet" }],
      },
      spec: {
        nodeName: "node-1",
        containers: [{ name: "odoo", image: "odoo:17.0", resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } } }],
        initContainers: [],
      },
      status: {
        phase: "Running",
        startTime: "2026-11-23T10:00:00Z",
        conditions: [
          { type: "Initialized", status: "True" },
          { type: "Ready", status: "True" },
          { type: "PodScheduled", status: "True" },
        ],
        containerStatuses: [{ name: "odoo", ready: true, restartCount: 0, state: { running: {} }, lastState: {} }],
        initContainerStatuses: [],
      },
    });
  });

  it("a pod that is not ready or not scheduled keeps those conditions' reason, message and time", () => {
    const [crashing] = rawOf("pods", { pod: podStates.crashLoop(4) });
    const slim = slimmers.pods(crashing);
    expect(slim.status.conditions.find((c) => c.type === "Ready")).toMatchObject({ status: "False", lastTransitionTime: expect.any(String) });
    expect(slim.status.containerStatuses[0]).toEqual({
      name: "odoo",
      ready: false,
      restartCount: 4,
      state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 5m0s restarting failed container=odoo" } },
      lastState: { terminated: { reason: "Error", exitCode: 1, signal: undefined, finishedAt: expect.any(String) } },
    });
    const [pending] = rawOf("pods", { pod: podStates.unschedulable() });
    expect(slimmers.pods(pending).status.conditions.find((c) => c.type === "PodScheduled")).toEqual({
      type: "PodScheduled",
      status: "False",
      reason: "Unschedulable",
      message: "0/3 nodes are available: 3 Insufficient memory.",
      lastTransitionTime: expect.any(String),
    });
  });

  it("a pod's init containers: only a sidecar keeps its restart policy, and an init status its started flag only while true", () => {
    const [raw] = rawOf("pods");
    raw.spec.initContainers = [
      { name: "migrate", image: "odoo:17.0", restartPolicy: undefined, command: ["odoo", "-u", "all"] },
      { name: "log-shipper", image: "fluent-bit:3.1", restartPolicy: "Always", env: [{ name: "TOKEN", value: "secret" }] },
    ];
    raw.status.initContainerStatuses = [
      { name: "migrate", ready: false, started: false, restartCount: 0, state: { terminated: { reason: "Completed", exitCode: 0 } }, lastState: {} },
      { name: "log-shipper", ready: true, started: true, restartCount: 0, state: { running: { startedAt: "2026-11-23T10:00:10Z" } }, lastState: {} },
    ];
    const slim = slimmers.pods(raw);
    expect(slim.spec.initContainers).toEqual([
      { name: "migrate", image: "odoo:17.0", resources: {} },
      { name: "log-shipper", image: "fluent-bit:3.1", resources: {}, restartPolicy: "Always" },
    ]);
    expect(slim.status.initContainerStatuses).toEqual([
      {
        name: "migrate",
        ready: false,
        restartCount: 0,
        state: { terminated: { reason: "Completed", exitCode: 0, signal: undefined, finishedAt: undefined } },
        lastState: {},
      },
      { name: "log-shipper", ready: true, started: true, restartCount: 0, state: { running: {} }, lastState: {} },
    ]);
    // Absent, not undefined: an undefined property still costs its slot on every object.
    expect(Object.keys(slim.spec.initContainers[0])).toEqual(["name", "image", "resources"]);
    expect("started" in slim.status.initContainerStatuses[0] || "started" in slim.status.containerStatuses[0]).toBe(false);
  });

  it("backup jobs: owner kind, a True Complete as type/status, a True Failed with its reason, message and time", () => {
    const [succeeded, failed] = rawOf("jobs", { backupFailed: true });
    succeeded.status.conditions.unshift({
      type: "SuccessCriteriaMet",
      status: "True",
      reason: "CompletionsReached",
      message: "Reached expected number of succeeded pods",
    });
    Object.assign(succeeded.status.conditions[1], {
      reason: "CompletionsReached",
      message: "Reached expected number of succeeded pods",
      lastTransitionTime: "2026-11-21T02:03:00Z",
    });
    expect(slimmers.jobs(succeeded)).toEqual({
      kind: "Job",
      metadata: {
        name: "odoo-backup-29000100",
        namespace: "tenant-slim",
        resourceVersion: succeeded.metadata.resourceVersion,
        creationTimestamp: "2026-01-10T09:01:00Z",
        labels: { [TENANT_LABEL]: tenantId },
        annotations: {},
        ownerReferences: [{ kind: "CronJob" }],
      },
      status: {
        active: 0,
        succeeded: 1,
        failed: 0,
        startTime: "2026-11-21T02:00:00Z",
        completionTime: "2026-11-21T02:03:00Z",
        conditions: [{ type: "Complete", status: "True" }],
      },
    });
    failed.status.conditions.unshift({
      type: "FailureTarget",
      status: "True",
      reason: "BackoffLimitExceeded",
      message: "Job has reached the specified backoff limit",
    });
    expect(slimmers.jobs(failed).status.conditions).toEqual([
      {
        type: "Failed",
        status: "True",
        reason: "BackoffLimitExceeded",
        message: "Job has reached the specified backoff limit",
        lastTransitionTime: "2026-11-22T02:05:00Z",
      },
    ]);
  });

  it("a PVC: class, requested and capacity, phase, and only the resize conditions that are True", () => {
    const [raw] = rawOf("persistentvolumeclaims");
    raw.metadata.annotations["volume.kubernetes.io/storage-provisioner"] = "rbd.csi.ceph.com";
    raw.spec.volumeName = "pvc-0b7c";
    raw.status.accessModes = ["ReadWriteOnce"];
    raw.status.conditions = [
      { type: "Resizing", status: "True", lastTransitionTime: "2026-11-23T11:00:00Z" },
      { type: "FileSystemResizePending", status: "False" },
      { type: "ModifyingVolume", status: "True" },
    ];
    expect(slimmers.persistentvolumeclaims(raw)).toEqual({
      kind: "PersistentVolumeClaim",
      metadata: {
        name: "odoo-filestore",
        namespace: "tenant-slim",
        resourceVersion: raw.metadata.resourceVersion,
        creationTimestamp: "2026-01-10T09:01:00Z",
        labels: { [TENANT_LABEL]: tenantId },
        annotations: {},
        ownerReferences: [],
      },
      spec: { storageClassName: "ceph-rbd", requestedStorage: "20Gi" },
      status: { phase: "Bound", capacity: "20Gi", conditions: [{ type: "Resizing", status: "True" }] },
    });
  });

  it("deployments keep uid, generation and the revision; their ReplicaSets the owner's kind, name and uid", () => {
    const [deployment] = rawOf("deployments");
    const [replicaSet] = rawOf("replicasets");
    const slim = slimmers.deployments(deployment);
    expect(slim.metadata).toMatchObject({ uid: deployment.metadata.uid, generation: 1, annotations: { "deployment.kubernetes.io/revision": "1" } });
    expect(slimmers.replicasets(replicaSet).metadata.ownerReferences).toEqual([{ kind: "Deployment", name: slim.metadata.name, uid: slim.metadata.uid }]);
    expect(slimmers.replicasets(replicaSet).metadata.uid).toBeUndefined();
  });

  it("keeps the configured tenant label key, and shares frozen objects between objects", () => {
    const [raw] = rawOf("services");
    raw.metadata.labels["example.com/tenant"] = "t-1";
    expect(createSlimmers({ labelKeys: ["example.com/tenant"] }).services(raw).metadata.labels).toEqual({ "example.com/tenant": "t-1" });
    const [a, b] = [slimmers.services(raw), slimmers.services(structuredClone(raw))];
    expect(a.metadata.labels).toBe(b.metadata.labels);
    expect(a.metadata.annotations).toBe(b.metadata.annotations);
    expect(Object.isFrozen(a.metadata.labels) && Object.isFrozen(a.metadata.ownerReferences)).toBe(true);
  });

  it("pods of different tenants share their True conditions, owner list and resources", () => {
    const [a, b] = ["one", "two"].map((db) => slimmers.pods(tenantFixture(db).objects.find((o) => o.resource === "pods")!.raw));
    expect(a.status.conditions[0]).toBe(b.status.conditions[0]);
    expect(a.metadata.ownerReferences).toBe(b.metadata.ownerReferences);
    expect(a.spec.containers[0].resources).toBe(b.spec.containers[0].resources);
    expect(a.metadata.labels).not.toBe(b.metadata.labels);
  });
});

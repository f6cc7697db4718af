import { describe, expect, it } from "vitest";
import type { ContainerStatus, PodObject } from "@/server/kube/kinds/pod";
import { podLogTargets } from "./log-targets";

const meta = (name: string, created: string) => ({
  name,
  namespace: "tenant-a",
  uid: name,
  resourceVersion: "1",
  creationTimestamp: created,
  labels: {},
  annotations: {},
  ownerReferences: [],
});
const status = (name: string, extra: Partial<ContainerStatus>): ContainerStatus => ({
  name,
  ready: false,
  restartCount: 0,
  state: {},
  lastState: {},
  ...extra,
});

function pod(name: string, created: string, extra: Partial<PodObject["status"]> = {}): PodObject {
  return {
    kind: "Pod",
    metadata: meta(name, created),
    spec: { containers: [{ name: "odoo", image: "odoo:17.0", resources: {} }], initContainers: [{ name: "wait-db", image: "busybox", resources: {} }] },
    status: { phase: "Running", conditions: [], containerStatuses: [], initContainerStatuses: [], ...extra },
  };
}

describe("podLogTargets", () => {
  it("lists pods oldest first, init containers first, with restart facts and the last termination", () => {
    const crashing = pod("odoo-b", "2026-11-23T10:05:00Z", {
      containerStatuses: [
        status("odoo", {
          restartCount: 4,
          state: { waiting: { reason: "CrashLoopBackOff" } },
          lastState: { terminated: { reason: "Error", exitCode: 1, finishedAt: "2026-11-23T10:06:00Z" } },
        }),
      ],
      initContainerStatuses: [status("wait-db", { state: { terminated: { reason: "Completed", exitCode: 0 } } })],
    });
    const healthy = pod("odoo-a", "2026-11-23T10:00:00Z", { containerStatuses: [status("odoo", { state: { running: {} } })] });
    const targets = podLogTargets([crashing, healthy]);
    expect(targets.map((t) => t.pod)).toEqual(["odoo-a", "odoo-b"]);
    expect(targets[0].containers).toEqual([
      { name: "wait-db", init: true, restartCount: 0, state: "Waiting", hasPrevious: false },
      { name: "odoo", init: false, restartCount: 0, state: "Running", hasPrevious: false },
    ]);
    expect(targets[1].containers).toEqual([
      { name: "wait-db", init: true, restartCount: 0, state: "Completed", hasPrevious: false },
      {
        name: "odoo",
        init: false,
        restartCount: 4,
        state: "CrashLoopBackOff",
        hasPrevious: true,
        lastTermination: { reason: "Error", exitCode: 1, finishedAt: "2026-11-23T10:06:00Z" },
      },
    ]);
  });

  it("marks a sidecar, still listed as an init container so that a pod's default stays its own container", () => {
    const withSidecar = pod("odoo-d", "2026-11-23T10:00:00Z", {
      containerStatuses: [status("odoo", { state: { running: {} } })],
      initContainerStatuses: [
        status("log-shipper", {
          ready: true,
          started: true,
          restartCount: 1,
          state: { running: {} },
          lastState: { terminated: { reason: "Error", exitCode: 1 } },
        }),
      ],
    });
    withSidecar.spec = { ...withSidecar.spec, initContainers: [{ name: "log-shipper", image: "fluent-bit:3.1", resources: {}, restartPolicy: "Always" }] };
    expect(podLogTargets([withSidecar])[0].containers).toEqual([
      {
        name: "log-shipper",
        init: true,
        sidecar: true,
        restartCount: 1,
        state: "Running",
        hasPrevious: true,
        lastTermination: { reason: "Error", exitCode: 1 },
      },
      { name: "odoo", init: false, restartCount: 0, state: "Running", hasPrevious: false },
    ]);
  });

  it("shows a pod being deleted as Terminating", () => {
    const leaving = pod("odoo-c", "2026-11-23T10:00:00Z");
    leaving.metadata = { ...leaving.metadata, deletionTimestamp: "2026-11-23T11:00:00Z" } as PodObject["metadata"];
    expect(podLogTargets([leaving])[0].phase).toBe("Terminating");
  });
});

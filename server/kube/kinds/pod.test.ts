import { describe, expect, it } from "vitest";
import { podStates, tenantFixture, type TenantFixtureOptions, type Raw } from "@/scripts/test-support/cluster-fixtures";
import { slimmers } from "./index";
import { podStatus } from "./pod";

function pod(state?: TenantFixtureOptions["pod"], mutate?: (raw: Raw) => void) {
  const raw = structuredClone(tenantFixture("p", { pod: state }).objects.find((o) => o.resource === "pods")!.raw) as Raw;
  mutate?.(raw);
  return slimmers.pods(raw);
}

describe("pod status, as kubectl prints it", () => {
  it("Running and ready", () => {
    expect(podStatus(pod())).toMatchObject({ status: "Running", ready: "1/1", restarts: 0, podReady: true, nodeName: "node-1" });
  });

  it("CrashLoopBackOff with restarts and the last termination", () => {
    const view = podStatus(pod(podStates.crashLoop(5, "Error", 2)));
    expect(view).toMatchObject({ status: "CrashLoopBackOff", ready: "0/1", restarts: 5, lastRestartAt: "2026-11-23T11:58:00.000Z" });
    expect(view.lastTermination).toEqual({ container: "odoo", reason: "Error", exitCode: 2, finishedAt: "2026-11-23T11:58:00.000Z" });
  });

  it("OOMKilled shows as the current reason while the container is terminated", () => {
    const view = podStatus(
      pod(undefined, (raw) => {
        raw.status.containerStatuses[0].state = { terminated: { reason: "OOMKilled", exitCode: 137, finishedAt: "2026-11-23T11:59:00Z" } };
        raw.status.containerStatuses[0].ready = false;
      }),
    );
    expect(view.status).toBe("OOMKilled");
    expect(view.lastTermination).toMatchObject({ reason: "OOMKilled", exitCode: 137 });
  });

  it.each(["ImagePullBackOff", "ErrImagePull"])("%s comes from the waiting reason", (reason) => {
    expect(podStatus(pod(podStates.imagePull(reason))).status).toBe(reason);
  });

  it("ContainerCreating", () => {
    expect(podStatus(pod(podStates.containerCreating()))).toMatchObject({ status: "ContainerCreating", phase: "Pending", ready: "0/1" });
  });

  it("Terminating wins over everything while a deletion timestamp is set", () => {
    expect(podStatus(pod(podStates.terminating()))).toMatchObject({ status: "Terminating", terminating: true });
  });

  it("Completed", () => {
    const view = podStatus(
      pod(undefined, (raw) => {
        raw.status.phase = "Succeeded";
        raw.status.containerStatuses[0] = { ...raw.status.containerStatuses[0], ready: false, state: { terminated: { reason: "Completed", exitCode: 0 } } };
      }),
    );
    expect(view.status).toBe("Completed");
  });

  it("Pending because unschedulable carries the scheduler message", () => {
    const view = podStatus(pod(podStates.unschedulable()));
    expect(view).toMatchObject({ status: "Pending", ready: "0/1", message: "0/3 nodes are available: 3 Insufficient memory." });
    expect(view.unschedulable?.message).toContain("Insufficient memory");
  });

  it("exit codes without a reason print as ExitCode:N / Signal:N", () => {
    const view = podStatus(
      pod(undefined, (raw) => {
        raw.status.containerStatuses[0].state = { terminated: { exitCode: 3 } };
      }),
    );
    expect(view.status).toBe("ExitCode:3");
  });

  it("init containers report Init:x/y and Init:<reason>", () => {
    const waiting = podStatus(
      pod(undefined, (raw) => {
        raw.spec.initContainers = [{ name: "migrate", image: "odoo:17.0" }];
        raw.status.conditions = raw.status.conditions.map((c: Raw) => (c.type === "Initialized" ? { ...c, status: "False" } : c));
        raw.status.initContainerStatuses = [
          { name: "migrate", ready: false, restartCount: 2, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: {} },
        ];
      }),
    );
    expect(waiting).toMatchObject({ status: "Init:CrashLoopBackOff", restarts: 2 });
    const running = podStatus(
      pod(undefined, (raw) => {
        raw.spec.initContainers = [{ name: "migrate", image: "odoo:17.0" }];
        raw.status.conditions = raw.status.conditions.map((c: Raw) => (c.type === "Initialized" ? { ...c, status: "False" } : c));
        raw.status.initContainerStatuses = [{ name: "migrate", ready: false, restartCount: 0, state: { running: {} }, lastState: {} }];
      }),
    );
    expect(running.status).toBe("Init:0/1");
  });

  it("gives every caller its own view: altering one does not alter the next", () => {
    const object = pod();
    const first = podStatus(object);
    first.status = "Altered";
    first.containers.length = 0;
    expect(podStatus(object)).toMatchObject({ status: "Running", containers: [{ name: "odoo" }] });
  });
});

// A sidecar is an init container with restartPolicy Always (Kubernetes 1.29+): kubectl counts it
// with the containers once started. The fixture pod gains one, declared before any other init container.
const SIDECAR = { name: "log-shipper", image: "fluent-bit:3.1", restartPolicy: "Always" };
const sidecarStatus = (extra: Record<string, unknown> = {}) => ({
  name: "log-shipper",
  ready: true,
  started: true,
  restartCount: 0,
  state: { running: {} },
  lastState: {},
  ...extra,
});

function initializing(raw: Raw) {
  raw.status.phase = "Pending";
  raw.status.conditions = raw.status.conditions.map((c: Raw) => (c.type === "Initialized" || c.type === "Ready" ? { ...c, status: "False" } : c));
  raw.status.containerStatuses = [
    { name: "odoo", ready: false, started: false, restartCount: 0, state: { waiting: { reason: "PodInitializing" } }, lastState: {} },
  ];
}

describe("pod status with a sidecar, as kubectl prints it since 1.29", () => {
  it("a ready sidecar counts in READY (2/2) and is listed after the containers", () => {
    const view = podStatus(
      pod(undefined, (raw) => {
        raw.spec.initContainers = [SIDECAR];
        raw.status.initContainerStatuses = [sidecarStatus()];
      }),
    );
    expect(view).toMatchObject({ status: "Running", ready: "2/2", readyContainers: 2, totalContainers: 2, restarts: 0, podReady: true });
    expect(view.containers.map((c) => [c.name, c.state, c.ready])).toEqual([
      ["odoo", "running", true],
      ["log-shipper", "running", true],
    ]);
  });

  it("a sidecar that restarted counts in RESTARTS, the last restart and the last termination; a finished init container's restarts do not", () => {
    const view = podStatus(
      pod(undefined, (raw) => {
        raw.spec.initContainers = [{ name: "migrate", image: "odoo:17.0" }, SIDECAR];
        raw.status.initContainerStatuses = [
          {
            name: "migrate",
            ready: false,
            restartCount: 1,
            state: { terminated: { reason: "Completed", exitCode: 0 } },
            lastState: { terminated: { reason: "Error", exitCode: 1, finishedAt: "2026-11-23T09:59:00Z" } },
          },
          sidecarStatus({ restartCount: 3, lastState: { terminated: { reason: "Error", exitCode: 1, finishedAt: "2026-11-23T11:50:00Z" } } }),
        ];
      }),
    );
    expect(view).toMatchObject({ status: "Running", ready: "2/2", restarts: 3, lastRestartAt: "2026-11-23T11:50:00Z" });
    expect(view.lastTermination).toEqual({ container: "log-shipper", reason: "Error", exitCode: 1, finishedAt: "2026-11-23T11:50:00Z" });
  });

  it("while initializing, a started sidecar lets the next init container run: Init:1/2 with the sidecar ready", () => {
    const view = podStatus(
      pod(undefined, (raw) => {
        initializing(raw);
        raw.spec.initContainers = [SIDECAR, { name: "migrate", image: "odoo:17.0" }];
        raw.status.initContainerStatuses = [
          sidecarStatus(),
          { name: "migrate", ready: false, started: true, restartCount: 0, state: { running: {} }, lastState: {} },
        ];
      }),
    );
    expect(view).toMatchObject({ status: "Init:1/2", ready: "1/2", phase: "Pending", podReady: false });
    const notStarted = podStatus(
      pod(undefined, (raw) => {
        initializing(raw);
        raw.spec.initContainers = [SIDECAR, { name: "migrate", image: "odoo:17.0" }];
        raw.status.initContainerStatuses = [
          sidecarStatus({ ready: false, started: false }),
          { name: "migrate", ready: false, restartCount: 0, state: { waiting: { reason: "PodInitializing" } }, lastState: {} },
        ];
      }),
    );
    expect(notStarted).toMatchObject({ status: "Init:0/2", ready: "0/2" });
  });

  it("a crash-looping sidecar shows as Init:CrashLoopBackOff beside a running container, its restarts and exit counted", () => {
    const view = podStatus(
      pod(undefined, (raw) => {
        raw.spec.initContainers = [SIDECAR];
        raw.status.conditions = raw.status.conditions.map((c: Raw) => (c.type === "Ready" ? { ...c, status: "False" } : c));
        raw.status.initContainerStatuses = [
          sidecarStatus({
            ready: false,
            started: false,
            restartCount: 5,
            state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 5m0s restarting failed container=log-shipper" } },
            lastState: { terminated: { reason: "Error", exitCode: 1, finishedAt: "2026-11-23T11:58:00Z" } },
          }),
        ];
      }),
    );
    expect(view).toMatchObject({
      status: "Init:CrashLoopBackOff",
      ready: "1/2",
      restarts: 5,
      lastRestartAt: "2026-11-23T11:58:00Z",
      podReady: false,
      message: "back-off 5m0s restarting failed container=log-shipper",
    });
    expect(view.lastTermination).toMatchObject({ container: "log-shipper", reason: "Error", exitCode: 1 });
  });
});

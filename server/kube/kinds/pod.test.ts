import { describe, expect, it } from "vitest";
import { podStates, tenantFixture, type TenantFixtureOptions } from "../fixtures/cluster-objects";
import { slimmers } from "./index";
import { podStatus } from "./pod";

function pod(state?: TenantFixtureOptions["pod"], mutate?: (raw: any) => void) {
  const raw = structuredClone(tenantFixture("p", { pod: state }).objects.find((o) => o.resource === "pods")!.raw) as any;
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
        raw.status.conditions = raw.status.conditions.map((c: any) => (c.type === "Initialized" ? { ...c, status: "False" } : c));
        raw.status.initContainerStatuses = [{ name: "migrate", ready: false, restartCount: 2, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: {} }];
      }),
    );
    expect(waiting).toMatchObject({ status: "Init:CrashLoopBackOff", restarts: 2 });
    const running = podStatus(
      pod(undefined, (raw) => {
        raw.spec.initContainers = [{ name: "migrate", image: "odoo:17.0" }];
        raw.status.conditions = raw.status.conditions.map((c: any) => (c.type === "Initialized" ? { ...c, status: "False" } : c));
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

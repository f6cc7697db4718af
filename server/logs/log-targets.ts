import "server-only";

import { isSidecar, type ContainerState, type ContainerStatus, type PodObject } from "@/server/kube/kinds/pod";
import type { LogTarget, LogTargetContainer } from "@/lib/logs/types";

/** What a container is doing, in kubectl's words: Running, Completed, CrashLoopBackOff, ... */
function describeState(state: ContainerState | undefined): string {
  if (state?.running) return "Running";
  if (state?.terminated) return state.terminated.reason ?? `Exited (${state.terminated.exitCode})`;
  if (state?.waiting) return state.waiting.reason ?? "Waiting";
  return "Unknown";
}

/** The kubelet keeps the log of the instance before the current one, once there was a restart. */
export function hasPreviousLog(status: ContainerStatus | undefined): boolean {
  return Boolean(status?.lastState.terminated) || (status?.restartCount ?? 0) > 0;
}

function targetContainer(name: string, init: boolean, status: ContainerStatus | undefined, sidecar = false): LogTargetContainer {
  const terminated = status?.lastState.terminated;
  const container: LogTargetContainer = {
    name,
    init,
    restartCount: status?.restartCount ?? 0,
    state: status ? describeState(status.state) : "Waiting",
    hasPrevious: hasPreviousLog(status),
  };
  if (sidecar) container.sidecar = true;
  if (terminated) {
    container.lastTermination = { reason: terminated.reason, exitCode: terminated.exitCode, finishedAt: terminated.finishedAt };
  }
  return container;
}

/** The pods and containers whose logs can be read, oldest pod first, init containers before the others. */
export function podLogTargets(pods: PodObject[]): LogTarget[] {
  return [...pods]
    .sort((a, b) => (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "") || a.metadata.name.localeCompare(b.metadata.name))
    .map((pod) => {
      const initStatuses = new Map(pod.status.initContainerStatuses.map((s) => [s.name, s]));
      const statuses = new Map(pod.status.containerStatuses.map((s) => [s.name, s]));
      return {
        pod: pod.metadata.name,
        phase: pod.metadata.deletionTimestamp ? "Terminating" : (pod.status.phase ?? "Unknown"),
        containers: [
          ...pod.spec.initContainers.map((c) => targetContainer(c.name, true, initStatuses.get(c.name), isSidecar(c))),
          ...pod.spec.containers.map((c) => targetContainer(c.name, false, statuses.get(c.name))),
        ],
      };
    });
}

import "server-only";

import type { RawObject } from "../watch-stream";
import {
  interned,
  slimConditionsOf,
  slimContainer,
  slimContainers,
  slimList,
  type CachedKind,
  type ContainerSpec,
  type MetadataSlimmer,
  type ObjectMeta,
  type Raw,
} from "./slimming";
import type { Condition, PodView } from "@/lib/cluster/views";

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  /** Only its presence is read. */
  running?: Record<string, never>;
  terminated?: { reason?: string; exitCode: number; signal?: number; finishedAt?: string };
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  /** Init containers only, and only while true: from then on a sidecar runs beside the others. */
  started?: true;
  state: ContainerState;
  lastState: ContainerState;
}

/** An init container; `restartPolicy: "Always"` makes it a sidecar that keeps running beside the containers. */
export interface InitContainerSpec extends ContainerSpec {
  restartPolicy?: "Always";
}

export interface PodObject {
  kind: "Pod";
  metadata: ObjectMeta;
  spec: {
    nodeName?: string;
    containers: readonly ContainerSpec[];
    initContainers: readonly InitContainerSpec[];
  };
  status: {
    phase?: string;
    reason?: string;
    message?: string;
    startTime?: string;
    /** Ready, Initialized and PodScheduled only; reason, message and time only while not True. */
    conditions: readonly Condition[];
    containerStatuses: readonly ContainerStatus[];
    initContainerStatuses: readonly ContainerStatus[];
  };
}

/** A restartable init container (Kubernetes 1.29+): started like an init container, then run like a container. */
export function isSidecar(container: InitContainerSpec): boolean {
  return container.restartPolicy === "Always";
}

// Shared by every container in that state. Frozen, since one mutation would show on all of them.
const EMPTY_STATE: ContainerState = Object.freeze({});
const RUNNING: Record<string, never> = Object.freeze({});

// podStatus reads Ready (status; since when not ready), Initialized (status) and PodScheduled
// (Unschedulable reason, message, since).
const POD_CONDITIONS = new Set(["Ready", "Initialized", "PodScheduled"]);

function slimState(s: Raw | undefined): ContainerState {
  if (!s || (!s.waiting && !s.running && !s.terminated)) return EMPTY_STATE;
  const out: ContainerState = {};
  if (s.waiting) out.waiting = { reason: interned(s.waiting.reason), message: interned(s.waiting.message) };
  if (s.running) out.running = RUNNING;
  if (s.terminated) {
    out.terminated = {
      reason: interned(s.terminated.reason),
      exitCode: s.terminated.exitCode ?? 0,
      signal: s.terminated.signal,
      finishedAt: interned(s.terminated.finishedAt),
    };
  }
  return out;
}

function slimContainerStatus(c: Raw): ContainerStatus {
  return {
    name: interned(c.name),
    ready: Boolean(c.ready),
    restartCount: c.restartCount ?? 0,
    state: slimState(c.state),
    lastState: slimState(c.lastState),
  };
}

// Only set when true: most pods have no init container running, so most statuses never carry it.
function slimInitContainerStatus(c: Raw): ContainerStatus {
  const status = slimContainerStatus(c);
  if (c.started === true) status.started = true;
  return status;
}

// Only sidecars carry a restart policy: the constant "Always" is one shared string, not one per pod.
function slimInitContainer(c: Raw): InitContainerSpec {
  const container: InitContainerSpec = slimContainer(c);
  if (c.restartPolicy === "Always") container.restartPolicy = "Always";
  return container;
}

function slimPod(raw: RawObject, slimMetadata: MetadataSlimmer): PodObject {
  const r = raw as Raw;
  return {
    kind: "Pod",
    metadata: slimMetadata(raw, { owners: "kind", uniqueName: true }),
    spec: {
      nodeName: interned(r.spec?.nodeName),
      containers: slimContainers(r.spec?.containers),
      initContainers: slimList(r.spec?.initContainers, slimInitContainer),
    },
    status: {
      phase: interned(r.status?.phase),
      reason: interned(r.status?.reason),
      message: interned(r.status?.message),
      startTime: interned(r.status?.startTime),
      conditions: slimConditionsOf(r.status?.conditions, POD_CONDITIONS),
      containerStatuses: slimList(r.status?.containerStatuses, slimContainerStatus),
      initContainerStatuses: slimList(r.status?.initContainerStatuses, slimInitContainerStatus),
    },
  };
}

export const podKind: CachedKind<PodObject> = { path: "/api/v1/pods", slim: slimPod };

/**
 * Follows kubectl's pod printer (printPod in pkg/printers/internalversion/printers.go), sidecars
 * included as it counts them since Kubernetes 1.29: a started sidecar counts in READY and lets the
 * next init container run, and once the pod is initialized RESTARTS keeps the sidecars' restarts
 * while dropping those of the init containers that ran to completion.
 */
export function podStatus(pod: PodObject): PodView {
  const spec = pod.spec;
  const status = pod.status;
  const sidecars = spec.initContainers.filter(isSidecar);
  const sidecarNames = new Set(sidecars.map((c) => c.name));
  let reason = status.reason || status.phase || "Unknown";
  let restarts = 0;
  let readyContainers = 0;
  let lastRestartAt: string | undefined;
  let message: string | undefined;
  let sidecarRestarts = 0;
  let sidecarLastRestartAt: string | undefined;

  let initializing = false;
  for (let i = 0; i < status.initContainerStatuses.length; i++) {
    const container = status.initContainerStatuses[i];
    const sidecar = sidecarNames.has(container.name);
    const restartedAt = container.lastState.terminated?.finishedAt;
    restarts += container.restartCount;
    lastRestartAt = later(lastRestartAt, restartedAt);
    if (sidecar) {
      sidecarRestarts += container.restartCount;
      sidecarLastRestartAt = later(sidecarLastRestartAt, restartedAt);
    }
    const terminated = container.state.terminated;
    const waiting = container.state.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (sidecar && container.started) {
      if (container.ready) readyContainers++;
      continue;
    }
    if (terminated) {
      reason = terminated.reason
        ? `Init:${terminated.reason}`
        : terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${terminated.exitCode}`;
    } else if (waiting?.reason && waiting.reason !== "PodInitializing") {
      reason = `Init:${waiting.reason}`;
      message = waiting.message;
    } else {
      reason = `Init:${i}/${spec.initContainers.length}`;
    }
    initializing = true;
    break;
  }

  const podReady = condition(pod, "Ready")?.status === "True";
  if (!initializing || condition(pod, "Initialized")?.status === "True") {
    restarts = sidecarRestarts;
    lastRestartAt = sidecarLastRestartAt;
    let hasRunning = false;
    for (let i = status.containerStatuses.length - 1; i >= 0; i--) {
      const container = status.containerStatuses[i];
      restarts += container.restartCount;
      lastRestartAt = later(lastRestartAt, container.lastState.terminated?.finishedAt);
      const waiting = container.state.waiting;
      const terminated = container.state.terminated;
      if (waiting?.reason) {
        reason = waiting.reason;
        message = waiting.message ?? message;
      } else if (terminated?.reason) {
        reason = terminated.reason;
      } else if (terminated) {
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      } else if (container.ready && container.state.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === "Completed" && hasRunning) reason = podReady ? "Running" : "NotReady";
  }

  const terminating = Boolean(pod.metadata.deletionTimestamp);
  if (terminating && status.reason === "NodeLost") reason = "Unknown";
  else if (terminating) reason = "Terminating";

  const scheduled = condition(pod, "PodScheduled");
  const unschedulable =
    scheduled?.status === "False" && scheduled.reason === "Unschedulable"
      ? { message: scheduled.message ?? "no node fits this pod", since: scheduled.lastTransitionTime }
      : undefined;
  if (unschedulable && reason === "Pending") message = unschedulable.message;

  const sidecarStatuses = status.initContainerStatuses.filter((c) => sidecarNames.has(c.name));
  const totalContainers = spec.containers.length + sidecars.length;
  return {
    name: pod.metadata.name,
    namespace: pod.metadata.namespace ?? "",
    phase: status.phase ?? "Unknown",
    status: reason,
    ready: `${readyContainers}/${totalContainers}`,
    readyContainers,
    totalContainers,
    restarts,
    lastRestartAt,
    // Sidecars run beside the containers and their restarts count: their exits explain those too.
    lastTermination: lastTermination([...status.containerStatuses, ...sidecarStatuses]),
    message,
    unschedulable,
    nodeName: spec.nodeName,
    createdAt: pod.metadata.creationTimestamp,
    startedAt: status.startTime,
    terminating,
    podReady,
    notReadySince: podReady ? undefined : (condition(pod, "Ready")?.lastTransitionTime ?? pod.metadata.creationTimestamp),
    containers: [
      ...spec.containers.map((container) => containerView(container, status.containerStatuses)),
      ...sidecars.map((container) => containerView(container, sidecarStatuses)),
    ],
  };
}

function containerView(container: ContainerSpec, statuses: readonly ContainerStatus[]): PodView["containers"][number] {
  const containerStatus = statuses.find((c) => c.name === container.name);
  const state = containerStatus?.state;
  return {
    name: container.name,
    image: container.image,
    ready: containerStatus?.ready ?? false,
    restarts: containerStatus?.restartCount ?? 0,
    state: state?.running ? "running" : state?.waiting ? "waiting" : state?.terminated ? "terminated" : "unknown",
    reason: state?.waiting?.reason ?? state?.terminated?.reason,
    requests: container.resources.requests,
    limits: container.resources.limits,
  };
}

function condition(pod: PodObject, type: string) {
  return pod.status.conditions.find((c) => c.type === type);
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

/** The most recent termination of any container: the current state if terminated, else the last one. */
function lastTermination(statuses: readonly ContainerStatus[]): PodView["lastTermination"] {
  let best: PodView["lastTermination"];
  for (const container of statuses) {
    const terminated = container.state.terminated ?? container.lastState.terminated;
    if (!terminated) continue;
    if (!best || (terminated.finishedAt ?? "") > (best.finishedAt ?? "")) {
      best = {
        container: container.name,
        reason: terminated.reason ?? (terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`),
        exitCode: terminated.exitCode,
        finishedAt: terminated.finishedAt,
      };
    }
  }
  return best;
}

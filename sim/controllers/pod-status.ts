// Pod status shapes as the kubelet reports them (conditions, container states), shared by the
// fleet generator (pods already running at startup) and the kubelet controller (live changes).
import type { IContainer } from "kubernetes-models/v1";
import type { KubeObject } from "../store/types";
import { sha256Like, type Condition } from "./kube-util";

export type ContainerPhase =
  | { kind: "creating" }
  | { kind: "waiting"; reason: string; message?: string }
  | { kind: "running"; startedAt: string; ready: boolean }
  | { kind: "terminated"; exitCode: number; reason: string; startedAt: string; finishedAt: string; message?: string };

export interface LastTermination {
  exitCode: number;
  reason: string;
  startedAt: string;
  finishedAt: string;
  containerID: string;
}

/** A container status as containerStatusOf writes it: what the kubelet reads back when it adopts a pod. */
export interface ReportedContainerStatus {
  name: string;
  imageID: string;
  ready: boolean;
  restartCount: number;
  state: {
    running?: { startedAt: string };
    waiting?: { reason: string; message?: string };
    terminated?: Omit<Extract<ContainerPhase, { kind: "terminated" }>, "kind"> & { containerID?: string };
  };
  lastState: { terminated?: LastTermination };
}

export interface ContainerRuntime {
  name: string;
  image: string;
  phase: ContainerPhase;
  restartCount: number;
  lastTermination?: LastTermination;
  /** set once the image is on the node (imageID known) */
  imagePulled: boolean;
}

const imageIds = new Map<string, string>();

export function imageIdOf(image: string): string {
  let id = imageIds.get(image);
  if (!id) {
    const [repo] = image.split(":");
    const full = repo.includes("/") ? repo : `docker.io/library/${repo}`;
    id = `${full}@sha256:${sha256Like(`image:${image}`)}`;
    imageIds.set(image, id);
  }
  return id;
}

export function containerIdOf(podUid: string, name: string, restartCount: number): string {
  return `containerd://${sha256Like(`${podUid}/${name}/${restartCount}`)}`;
}

export function containerStatusOf(c: ContainerRuntime, podUid: string): Record<string, unknown> {
  const status: Record<string, unknown> = {
    name: c.name,
    image: c.image.includes("/") || !c.imagePulled ? c.image : `docker.io/library/${c.image}`,
    imageID: c.imagePulled ? imageIdOf(c.image) : "",
    ready: c.phase.kind === "running" && c.phase.ready,
    restartCount: c.restartCount,
    started: c.phase.kind === "running",
    state: {},
    lastState: {},
  };
  if (c.phase.kind === "running" || c.phase.kind === "terminated" || c.restartCount > 0) {
    status.containerID = containerIdOf(podUid, c.name, c.restartCount);
  }
  switch (c.phase.kind) {
    case "creating":
      status.state = { waiting: { reason: "ContainerCreating" } };
      break;
    case "waiting":
      status.state = { waiting: { reason: c.phase.reason, ...(c.phase.message ? { message: c.phase.message } : {}) } };
      if (c.restartCount === 0 && !c.lastTermination) delete status.containerID;
      break;
    case "running":
      status.state = { running: { startedAt: c.phase.startedAt } };
      break;
    case "terminated":
      status.state = {
        terminated: {
          exitCode: c.phase.exitCode,
          reason: c.phase.reason,
          startedAt: c.phase.startedAt,
          finishedAt: c.phase.finishedAt,
          containerID: status.containerID,
          ...(c.phase.message ? { message: c.phase.message } : {}),
        },
      };
      break;
  }
  if (c.lastTermination) status.lastState = { terminated: { ...c.lastTermination } };
  return status;
}

export interface PodStatusInput {
  pod: KubeObject;
  containers: ContainerRuntime[];
  nodeIP?: string;
  podIP?: string;
  startTime?: string;
  scheduledAt?: string;
  /** times used when conditions first turned true (kept stable across updates) */
  initializedAt?: string;
  readyAt?: string;
  now: string;
}

const prior = (pod: KubeObject, type: string): Condition | undefined => (pod.status?.conditions ?? []).find((c: Condition) => c.type === type);

function cond(pod: KubeObject, type: string, status: Condition["status"], now: string, extra: Partial<Condition> = {}): Condition {
  const existing = prior(pod, type);
  return {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: existing && existing.status === status ? existing.lastTransitionTime : now,
    ...extra,
  } as Condition;
}

/** Derives phase and the five standard conditions from the containers, like the kubelet. */
export function podStatusOf(input: PodStatusInput): Record<string, unknown> {
  const { pod, containers, now } = input;
  const restartPolicy = pod.spec?.restartPolicy ?? "Always";
  const allTerminated = containers.every((c) => c.phase.kind === "terminated");
  const anyRunningOrRestarting = containers.some((c) => c.phase.kind === "running" || c.restartCount > 0 || c.lastTermination);
  let phase = "Pending";
  if (allTerminated && restartPolicy !== "Always") {
    phase = containers.every((c) => c.phase.kind === "terminated" && c.phase.exitCode === 0) ? "Succeeded" : "Failed";
  } else if (anyRunningOrRestarting) {
    phase = "Running";
  }
  const unready = containers.filter((c) => !(c.phase.kind === "running" && c.phase.ready)).map((c) => c.name);
  const completed = phase === "Succeeded" || phase === "Failed";
  const readyExtra = completed
    ? { reason: "PodCompleted" }
    : unready.length
      ? { reason: "ContainersNotReady", message: `containers with unready status: [${unready.join(" ")}]` }
      : {};
  const sandboxReady = !completed;
  const conditions: Condition[] = [
    cond(pod, "PodReadyToStartContainers", sandboxReady ? "True" : "False", now),
    cond(pod, "Initialized", "True", now, completed ? { reason: "PodCompleted" } : {}),
    cond(pod, "Ready", unready.length || completed ? "False" : "True", now, readyExtra),
    cond(pod, "ContainersReady", unready.length || completed ? "False" : "True", now, readyExtra),
    cond(pod, "PodScheduled", "True", now),
  ];
  const status: Record<string, unknown> = {
    phase,
    conditions,
    hostIP: input.nodeIP,
    hostIPs: input.nodeIP ? [{ ip: input.nodeIP }] : undefined,
    startTime: input.startTime,
    containerStatuses: containers.map((c) => containerStatusOf(c, pod.metadata.uid ?? pod.metadata.name)),
    qosClass: qosClassOf(pod),
  };
  if (input.podIP && !completed) {
    status.podIP = input.podIP;
    status.podIPs = [{ ip: input.podIP }];
  }
  for (const key of Object.keys(status)) if (status[key] === undefined) delete status[key];
  return status;
}

export function unschedulableStatus(pod: KubeObject, message: string, now: string): Record<string, unknown> {
  return {
    phase: "Pending",
    conditions: [cond(pod, "PodScheduled", "False", now, { reason: "Unschedulable", message })],
    qosClass: qosClassOf(pod),
  };
}

export function qosClassOf(pod: KubeObject): string {
  const containers: IContainer[] = pod.spec?.containers ?? [];
  let guaranteed = containers.length > 0;
  let any = false;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ["cpu", "memory"]) {
      const request = req[r] ?? lim[r];
      if (!lim[r] || request !== lim[r]) guaranteed = false;
    }
  }
  return guaranteed ? "Guaranteed" : any ? "Burstable" : "BestEffort";
}

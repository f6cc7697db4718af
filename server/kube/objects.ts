/**
 * The slim shapes the cache keeps. Raw API objects are reduced as they arrive: no managedFields,
 * no env values, no volume sources beyond names and claim names, only the annotations the portal
 * shows. The rest of the portal sees these types, never client-node's.
 */
import type { RawObject } from "./watch-stream";

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  ownerReferences: { kind: string; name: string; uid: string; controller?: boolean }[];
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface ResourceRequirements {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

export interface ContainerSpec {
  name: string;
  image: string;
  resources: ResourceRequirements;
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; message?: string; exitCode: number; signal?: number; startedAt?: string; finishedAt?: string };
}

export interface ContainerStatus {
  name: string;
  image: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state: ContainerState;
  lastState: ContainerState;
}

export interface NamespaceObject { kind: "Namespace"; metadata: ObjectMeta; phase?: string }

export interface DeploymentObject {
  kind: "Deployment";
  metadata: ObjectMeta;
  spec: {
    replicas: number;
    paused?: boolean;
    strategy?: string;
    containers: ContainerSpec[];
    volumes: { name: string; claimName?: string }[];
  };
  status: {
    observedGeneration?: number;
    replicas: number;
    readyReplicas: number;
    updatedReplicas: number;
    availableReplicas: number;
    unavailableReplicas: number;
    conditions: Condition[];
  };
}

export interface ReplicaSetObject {
  kind: "ReplicaSet";
  metadata: ObjectMeta;
  spec: { replicas: number; images: string[] };
  status: { replicas: number; readyReplicas: number; availableReplicas: number };
}

export interface PodObject {
  kind: "Pod";
  metadata: ObjectMeta;
  spec: {
    nodeName?: string;
    containers: ContainerSpec[];
    initContainers: ContainerSpec[];
    volumes: { name: string; claimName?: string }[];
  };
  status: {
    phase?: string;
    reason?: string;
    message?: string;
    startTime?: string;
    conditions: Condition[];
    containerStatuses: ContainerStatus[];
    initContainerStatuses: ContainerStatus[];
  };
}

export interface PvcObject {
  kind: "PersistentVolumeClaim";
  metadata: ObjectMeta;
  spec: { storageClassName?: string; requestedStorage?: string; volumeName?: string; accessModes: string[] };
  status: { phase?: string; capacity?: string; conditions: Condition[] };
}

export interface ServiceObject {
  kind: "Service";
  metadata: ObjectMeta;
  spec: { type?: string; clusterIP?: string; ports: { name?: string; port: number; targetPort?: string | number; protocol?: string }[] };
}

export interface IngressObject {
  kind: "Ingress";
  metadata: ObjectMeta;
  spec: { ingressClassName?: string; hosts: string[]; tlsHosts: string[] };
}

export interface EventObject {
  kind: "Event";
  metadata: ObjectMeta;
  involvedObject: { kind?: string; name?: string; namespace?: string; uid?: string };
  reason?: string;
  message?: string;
  type?: string;
  count: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  source?: string;
}

export interface NodeObject {
  kind: "Node";
  metadata: ObjectMeta;
  spec: { unschedulable: boolean };
  status: { ready: "True" | "False" | "Unknown"; readySince?: string; capacity: Record<string, string>; allocatable: Record<string, string> };
}

export interface StorageClassObject {
  kind: "StorageClass";
  metadata: ObjectMeta;
  provisioner?: string;
  allowVolumeExpansion: boolean;
  isDefault: boolean;
}

export interface JobObject {
  kind: "Job";
  metadata: ObjectMeta;
  status: { active: number; succeeded: number; failed: number; startTime?: string; completionTime?: string; conditions: Condition[] };
}

export interface CronJobObject {
  kind: "CronJob";
  metadata: ObjectMeta;
  spec: { schedule?: string; suspend: boolean };
  status: { lastScheduleTime?: string; lastSuccessfulTime?: string };
}

export type CachedObject =
  | NamespaceObject
  | DeploymentObject
  | ReplicaSetObject
  | PodObject
  | PvcObject
  | ServiceObject
  | IngressObject
  | EventObject
  | NodeObject
  | StorageClassObject
  | JobObject
  | CronJobObject;

// The portal shows tenant annotations (saasodoo.io/...), revision and restart stamps; nothing else
// (last-applied-configuration can embed whole manifests, including secret-like values).
const KEPT_ANNOTATION = /^(saasodoo\.io\/|deployment\.kubernetes\.io\/revision$|kubectl\.kubernetes\.io\/restartedAt$|storageclass\.kubernetes\.io\/is-default-class$|volume\.kubernetes\.io\/storage-provisioner$)/;

type Raw = Record<string, any>;

// Every object of a tenant repeats the same label keys and values (instance id, name, customer
// id); sharing one string per value keeps 100k cached objects noticeably smaller.
const internedStrings = new Map<string, string>();
function intern(value: string): string {
  const known = internedStrings.get(value);
  if (known !== undefined) return known;
  if (internedStrings.size > 500_000) internedStrings.clear();
  internedStrings.set(value, value);
  return value;
}

function internLabels(labels: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels ?? {})) out[intern(key)] = intern(value);
  return out;
}

function slimMeta(raw: RawObject): ObjectMeta {
  const m: Raw = raw.metadata ?? {};
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries((m.annotations ?? {}) as Record<string, string>)) {
    if (KEPT_ANNOTATION.test(key)) annotations[key] = value;
  }
  return {
    name: m.name ?? "",
    namespace: m.namespace ? intern(m.namespace) : undefined,
    uid: m.uid ?? `${m.namespace ?? ""}/${m.name ?? ""}`,
    resourceVersion: m.resourceVersion ?? "",
    generation: m.generation,
    creationTimestamp: m.creationTimestamp,
    deletionTimestamp: m.deletionTimestamp,
    labels: internLabels(m.labels),
    annotations,
    ownerReferences: ((m.ownerReferences ?? []) as Raw[]).map((o) => ({ kind: o.kind, name: o.name, uid: o.uid, controller: o.controller })),
  };
}

function slimConditions(list: unknown): Condition[] {
  return ((list ?? []) as Raw[]).map((c) => ({
    type: c.type,
    status: c.status,
    reason: c.reason,
    message: c.message,
    lastTransitionTime: c.lastTransitionTime ?? c.lastUpdateTime,
  }));
}

function slimResources(r: Raw | undefined): ResourceRequirements {
  return { requests: r?.requests ? { ...r.requests } : undefined, limits: r?.limits ? { ...r.limits } : undefined };
}

// Env, envFrom, command and args are dropped on purpose: they are where credentials live.
function slimContainers(list: unknown): ContainerSpec[] {
  return ((list ?? []) as Raw[]).map((c) => ({ name: c.name, image: c.image ?? "", resources: slimResources(c.resources) }));
}

function slimVolumes(list: unknown): { name: string; claimName?: string }[] {
  return ((list ?? []) as Raw[]).map((v) => ({ name: v.name, claimName: v.persistentVolumeClaim?.claimName }));
}

function slimState(s: Raw | undefined): ContainerState {
  if (!s) return {};
  return {
    waiting: s.waiting ? { reason: s.waiting.reason, message: s.waiting.message } : undefined,
    running: s.running ? { startedAt: s.running.startedAt } : undefined,
    terminated: s.terminated
      ? {
          reason: s.terminated.reason,
          message: s.terminated.message,
          exitCode: s.terminated.exitCode ?? 0,
          signal: s.terminated.signal,
          startedAt: s.terminated.startedAt,
          finishedAt: s.terminated.finishedAt,
        }
      : undefined,
  };
}

function slimContainerStatuses(list: unknown): ContainerStatus[] {
  return ((list ?? []) as Raw[]).map((c) => ({
    name: c.name,
    image: c.image ?? "",
    ready: Boolean(c.ready),
    started: c.started,
    restartCount: c.restartCount ?? 0,
    state: slimState(c.state),
    lastState: slimState(c.lastState),
  }));
}

export const slimmers = {
  namespaces: (raw: RawObject): NamespaceObject => ({ kind: "Namespace", metadata: slimMeta(raw), phase: (raw as Raw).status?.phase }),
  deployments: (raw: RawObject): DeploymentObject => {
    const r = raw as Raw;
    return {
      kind: "Deployment",
      metadata: slimMeta(raw),
      spec: {
        replicas: r.spec?.replicas ?? 1,
        paused: r.spec?.paused,
        strategy: r.spec?.strategy?.type,
        containers: slimContainers(r.spec?.template?.spec?.containers),
        volumes: slimVolumes(r.spec?.template?.spec?.volumes),
      },
      status: {
        observedGeneration: r.status?.observedGeneration,
        replicas: r.status?.replicas ?? 0,
        readyReplicas: r.status?.readyReplicas ?? 0,
        updatedReplicas: r.status?.updatedReplicas ?? 0,
        availableReplicas: r.status?.availableReplicas ?? 0,
        unavailableReplicas: r.status?.unavailableReplicas ?? 0,
        conditions: slimConditions(r.status?.conditions),
      },
    };
  },
  replicasets: (raw: RawObject): ReplicaSetObject => {
    const r = raw as Raw;
    return {
      kind: "ReplicaSet",
      metadata: slimMeta(raw),
      spec: { replicas: r.spec?.replicas ?? 0, images: ((r.spec?.template?.spec?.containers ?? []) as Raw[]).map((c) => c.image) },
      status: { replicas: r.status?.replicas ?? 0, readyReplicas: r.status?.readyReplicas ?? 0, availableReplicas: r.status?.availableReplicas ?? 0 },
    };
  },
  pods: (raw: RawObject): PodObject => {
    const r = raw as Raw;
    return {
      kind: "Pod",
      metadata: slimMeta(raw),
      spec: {
        nodeName: r.spec?.nodeName,
        containers: slimContainers(r.spec?.containers),
        initContainers: slimContainers(r.spec?.initContainers),
        volumes: slimVolumes(r.spec?.volumes),
      },
      status: {
        phase: r.status?.phase,
        reason: r.status?.reason,
        message: r.status?.message,
        startTime: r.status?.startTime,
        conditions: slimConditions(r.status?.conditions),
        containerStatuses: slimContainerStatuses(r.status?.containerStatuses),
        initContainerStatuses: slimContainerStatuses(r.status?.initContainerStatuses),
      },
    };
  },
  persistentvolumeclaims: (raw: RawObject): PvcObject => {
    const r = raw as Raw;
    return {
      kind: "PersistentVolumeClaim",
      metadata: slimMeta(raw),
      spec: {
        storageClassName: r.spec?.storageClassName ?? undefined,
        requestedStorage: r.spec?.resources?.requests?.storage,
        volumeName: r.spec?.volumeName,
        accessModes: r.spec?.accessModes ?? [],
      },
      status: { phase: r.status?.phase, capacity: r.status?.capacity?.storage, conditions: slimConditions(r.status?.conditions) },
    };
  },
  services: (raw: RawObject): ServiceObject => {
    const r = raw as Raw;
    return {
      kind: "Service",
      metadata: slimMeta(raw),
      spec: {
        type: r.spec?.type,
        clusterIP: r.spec?.clusterIP,
        ports: ((r.spec?.ports ?? []) as Raw[]).map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol })),
      },
    };
  },
  ingresses: (raw: RawObject): IngressObject => {
    const r = raw as Raw;
    return {
      kind: "Ingress",
      metadata: slimMeta(raw),
      spec: {
        ingressClassName: r.spec?.ingressClassName,
        hosts: ((r.spec?.rules ?? []) as Raw[]).map((rule) => rule.host).filter(Boolean),
        tlsHosts: ((r.spec?.tls ?? []) as Raw[]).flatMap((t) => t.hosts ?? []),
      },
    };
  },
  events: (raw: RawObject): EventObject => {
    const r = raw as Raw;
    return {
      kind: "Event",
      metadata: slimMeta(raw),
      involvedObject: {
        kind: r.involvedObject?.kind,
        name: r.involvedObject?.name,
        namespace: r.involvedObject?.namespace,
        uid: r.involvedObject?.uid,
      },
      reason: r.reason,
      message: r.message,
      type: r.type,
      count: r.count ?? r.series?.count ?? 1,
      firstTimestamp: r.firstTimestamp ?? r.eventTime ?? r.metadata?.creationTimestamp,
      lastTimestamp: r.lastTimestamp ?? r.series?.lastObservedTime ?? r.eventTime ?? r.metadata?.creationTimestamp,
      source: r.source?.component ?? r.reportingComponent,
    };
  },
  nodes: (raw: RawObject): NodeObject => {
    const r = raw as Raw;
    const ready = ((r.status?.conditions ?? []) as Raw[]).find((c) => c.type === "Ready");
    return {
      kind: "Node",
      metadata: slimMeta(raw),
      spec: { unschedulable: Boolean(r.spec?.unschedulable) },
      status: {
        ready: ready?.status === "True" ? "True" : ready?.status === "False" ? "False" : "Unknown",
        readySince: ready?.lastTransitionTime,
        capacity: { ...(r.status?.capacity ?? {}) },
        allocatable: { ...(r.status?.allocatable ?? {}) },
      },
    };
  },
  storageclasses: (raw: RawObject): StorageClassObject => {
    const r = raw as Raw;
    return {
      kind: "StorageClass",
      metadata: slimMeta(raw),
      provisioner: r.provisioner,
      allowVolumeExpansion: Boolean(r.allowVolumeExpansion),
      isDefault: r.metadata?.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true",
    };
  },
  jobs: (raw: RawObject): JobObject => {
    const r = raw as Raw;
    return {
      kind: "Job",
      metadata: slimMeta(raw),
      status: {
        active: r.status?.active ?? 0,
        succeeded: r.status?.succeeded ?? 0,
        failed: r.status?.failed ?? 0,
        startTime: r.status?.startTime,
        completionTime: r.status?.completionTime,
        conditions: slimConditions(r.status?.conditions),
      },
    };
  },
  cronjobs: (raw: RawObject): CronJobObject => {
    const r = raw as Raw;
    return {
      kind: "CronJob",
      metadata: slimMeta(raw),
      spec: { schedule: r.spec?.schedule, suspend: Boolean(r.spec?.suspend) },
      status: { lastScheduleTime: r.status?.lastScheduleTime, lastSuccessfulTime: r.status?.lastSuccessfulTime },
    };
  },
};

export type ResourceName = keyof typeof slimmers;

export interface ObjectByResource {
  namespaces: NamespaceObject;
  deployments: DeploymentObject;
  replicasets: ReplicaSetObject;
  pods: PodObject;
  persistentvolumeclaims: PvcObject;
  services: ServiceObject;
  ingresses: IngressObject;
  events: EventObject;
  nodes: NodeObject;
  storageclasses: StorageClassObject;
  jobs: JobObject;
  cronjobs: CronJobObject;
}

/** Where each resource is listed and watched (cluster-wide). */
export const RESOURCE_PATHS: Record<ResourceName, string> = {
  namespaces: "/api/v1/namespaces",
  deployments: "/apis/apps/v1/deployments",
  replicasets: "/apis/apps/v1/replicasets",
  pods: "/api/v1/pods",
  persistentvolumeclaims: "/api/v1/persistentvolumeclaims",
  services: "/api/v1/services",
  ingresses: "/apis/networking.k8s.io/v1/ingresses",
  events: "/api/v1/events",
  nodes: "/api/v1/nodes",
  storageclasses: "/apis/storage.k8s.io/v1/storageclasses",
  jobs: "/apis/batch/v1/jobs",
  cronjobs: "/apis/batch/v1/cronjobs",
};

export const RESOURCE_NAMES = Object.keys(RESOURCE_PATHS) as ResourceName[];

/**
 * The slim shapes the cache keeps. Raw API objects are reduced as they arrive to what some reader
 * (status derivation, health rules, tenant view, logs) uses: no managedFields, no env values, no
 * volumes, only the revision annotation, only the conditions a rule looks at. The rest of the
 * portal sees these types, never client-node's. At 10,000 tenants the cache holds ~90,000 of
 * these, so a field kept "just in case" costs megabytes: add one back when a reader needs it.
 */
import type { RawObject } from "./watch-stream";
import type { Condition } from "@/lib/cluster/views";
export type { Condition };

/** Pods and Jobs keep only the owner's kind (finished Job pods, backup Jobs); ReplicaSets all three. */
export interface OwnerReference {
  kind: string;
  name?: string;
  uid?: string;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  /** Deployments only: their ReplicaSets' owner references are matched against it. */
  uid?: string;
  resourceVersion: string;
  /** Deployments only (rollout progress). */
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  /** Only the keys a reader uses (the tenant label key); often one object shared by many. */
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  ownerReferences: readonly OwnerReference[];
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
  /** Only its presence is read. */
  running?: Record<string, never>;
  terminated?: { reason?: string; exitCode: number; signal?: number; finishedAt?: string };
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
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
    containers: readonly ContainerSpec[];
  };
  status: {
    observedGeneration?: number;
    replicas: number;
    readyReplicas: number;
    updatedReplicas: number;
    availableReplicas: number;
    unavailableReplicas: number;
    conditions: readonly Condition[];
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
    containers: readonly ContainerSpec[];
    initContainers: readonly ContainerSpec[];
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

export interface PvcObject {
  kind: "PersistentVolumeClaim";
  metadata: ObjectMeta;
  spec: { storageClassName?: string; requestedStorage?: string };
  /** Conditions: the resize ones, type and status only. */
  status: { phase?: string; capacity?: string; conditions: readonly Condition[] };
}

export interface ServiceObject {
  kind: "Service";
  metadata: ObjectMeta;
  spec: { type?: string; clusterIP?: string; ports: { name?: string; port: number; targetPort?: string | number; protocol?: string }[] };
}

export interface IngressObject {
  kind: "Ingress";
  metadata: ObjectMeta;
  spec: { hosts: string[] };
}

export interface EventObject {
  kind: "Event";
  metadata: ObjectMeta;
  involvedObject: { kind?: string; name?: string; namespace?: string };
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
  /** Conditions: Complete and Failed while True (what a backup run's outcome is read from). */
  status: { active: number; succeeded: number; failed: number; startTime?: string; completionTime?: string; conditions: readonly Condition[] };
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
  | JobObject;

// The revision is the only annotation a reader uses (a Deployment's current ReplicaSet). Others
// cost memory and can leak: last-applied-configuration can embed whole manifests, secrets included.
// (StorageClass's is-default-class is read from the raw object by its slimmer.)
const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";

type Raw = Record<string, any>;

// Parsed JSON gives every occurrence its own string: the tenant id on each of a tenant's objects,
// one name shared by its Deployment, Service and Ingress, "odoo-filestore" on every PVC, condition
// types, reasons and messages, images, resource quantities, and timestamps of objects created in
// the same second. Sharing one copy per value saved ~35 MB of duplicates at 10,000 tenants.
// Never for resourceVersions or uids: unique per object, they would only grow the table. When
// full, the table starts over; objects keep the strings they already share.
const INTERNED_MAX = 200_000;
const internedStrings = new Map<string, string>();
/** The shared copy of `value` (also used for registry rows, whose ids and names the cache holds). */
export function intern(value: string): string {
  const known = internedStrings.get(value);
  if (known !== undefined) return known;
  if (internedStrings.size >= INTERNED_MAX) internedStrings.clear();
  internedStrings.set(value, value);
  return value;
}

/** The shared copy of a string field; anything else passes through. */
function str<T>(value: T): T {
  return typeof value === "string" ? (intern(value) as T) : value;
}

function internedRecord(record: Raw): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key in record) out[intern(key)] = str(record[key]);
  return out;
}

// Shared by every object that has none: most objects have no kept annotation, no owner, no init
// containers. Frozen, since one mutation would show on all of them.
const EMPTY_RECORD: Readonly<Record<string, string>> = Object.freeze({});
const EMPTY_LIST: readonly never[] = Object.freeze([]);
const EMPTY_STATE: ContainerState = Object.freeze({});
const RUNNING: Record<string, never> = Object.freeze({});
const NO_RESOURCES: ResourceRequirements = Object.freeze({});

/** The label the cache joins objects to tenants with, unless TENANT_LABEL_KEY says otherwise. */
export const DEFAULT_TENANT_LABEL_KEY = "saasodoo.instance.id";

/**
 * The one shared copy per key in `table`, made on first use. A full table starts over; objects
 * keep the copies they already share. Shared copies are frozen by their makers, since one
 * mutation would show on every object holding them.
 */
function sharedCopy<V>(table: Map<string, V>, key: string, max: number, make: () => V): V {
  let copy = table.get(key);
  if (copy === undefined) {
    if (table.size >= max) table.clear();
    copy = make();
    table.set(key, copy);
  }
  return copy;
}

// The objects of one tenant all carry the same tenant label: with one kept key they share one
// frozen labels object per value.
const sharedLabels = new Map<string, Map<string, Readonly<Record<string, string>>>>();
function shareLabel(key: string, value: string): Readonly<Record<string, string>> {
  let byValue = sharedLabels.get(key);
  if (!byValue) {
    byValue = new Map();
    sharedLabels.set(key, byValue);
  }
  return sharedCopy(byValue, value, 200_000, () => Object.freeze({ [key]: intern(value) }));
}

function keptLabels(labels: Record<string, string> | undefined, keys: readonly string[]): Readonly<Record<string, string>> {
  if (!labels) return EMPTY_RECORD;
  const kept = keys.filter((key) => typeof labels[key] === "string");
  if (kept.length === 0) return EMPTY_RECORD;
  if (kept.length === 1) return shareLabel(kept[0], labels[kept[0]]);
  return Object.fromEntries(kept.map((key) => [key, intern(labels[key])]));
}

// Most pods have one owner, a ReplicaSet, and most jobs a CronJob: one shared list per kind.
const ownerKindLists = new Map<string, readonly OwnerReference[]>();
function ownerKinds(owners: Raw[]): readonly OwnerReference[] {
  if (owners.length !== 1) return owners.map((o) => Object.freeze({ kind: intern(String(o.kind)) }));
  const kind = String(owners[0].kind);
  return sharedCopy(ownerKindLists, kind, 1_000, () => Object.freeze([Object.freeze({ kind: intern(kind) })]));
}

interface MetaOptions {
  /** Keep uid and generation (read for Deployments only). */
  deployment?: boolean;
  /** Which owner reference fields readers use; none are kept otherwise. */
  owners?: "kind" | "kind-name-uid";
  /** Generated names (pods, jobs, ReplicaSets, events) are unique: sharing them saves nothing. */
  uniqueName?: boolean;
}

function slimMetaKeeping(raw: RawObject, labelKeys: readonly string[], options: MetaOptions): ObjectMeta {
  const m: Raw = raw.metadata ?? {};
  const revision = m.annotations?.[REVISION_ANNOTATION];
  const annotations = typeof revision === "string" ? { [REVISION_ANNOTATION]: intern(revision) } : EMPTY_RECORD;
  const owners = m.ownerReferences as Raw[] | undefined;
  const meta: ObjectMeta = {
    name: (options.uniqueName ? m.name : str(m.name)) ?? "",
    namespace: m.namespace ? intern(m.namespace) : undefined,
    resourceVersion: m.resourceVersion ?? "",
    creationTimestamp: str(m.creationTimestamp),
    labels: keptLabels(m.labels, labelKeys),
    annotations,
    ownerReferences: !owners?.length || !options.owners
      ? EMPTY_LIST
      : options.owners === "kind"
        ? ownerKinds(owners)
        : owners.map((o) => ({ kind: str(o.kind), name: str(o.name), uid: o.uid })),
  };
  // Added only when kept or set: an absent property costs nothing, an undefined one a slot.
  if (options.deployment) {
    meta.uid = m.uid ?? `${m.namespace ?? ""}/${m.name ?? ""}`;
    meta.generation = m.generation;
  }
  if (m.deletionTimestamp) meta.deletionTimestamp = str(m.deletionTimestamp);
  return meta;
}

function slimCondition(c: Raw): Condition {
  return {
    type: str(c.type),
    status: str(c.status),
    reason: str(c.reason),
    message: str(c.message),
    lastTransitionTime: str(c.lastTransitionTime ?? c.lastUpdateTime),
  };
}

function slimConditions(list: unknown): readonly Condition[] {
  return slimList(list, slimCondition);
}

// A True condition reduced to type and status is the same for every object: one frozen copy per type.
const trueConditions = new Map<string, Condition>();
function trueCondition(type: string): Condition {
  return sharedCopy(trueConditions, type, 1_000, () => Object.freeze({ type: intern(type), status: "True" }));
}

/**
 * Only the listed condition types; while a condition is True its reason, message and time are
 * dropped unless `detailWhenTrue` (no reader of those kinds looks past `status === "True"`).
 */
function slimConditionsOf(list: unknown, types: ReadonlySet<string>, options: { onlyTrue?: boolean; detailWhenTrue?: ReadonlySet<string> } = {}): readonly Condition[] {
  const out: Condition[] = [];
  for (const c of (list ?? []) as Raw[]) {
    if (!types.has(c.type)) continue;
    if (c.status === "True" && !options.detailWhenTrue?.has(c.type)) out.push(trueCondition(c.type));
    else if (!options.onlyTrue || c.status === "True") out.push(slimCondition(c));
  }
  return out.length > 0 ? out : EMPTY_LIST;
}

// pod-status reads Ready (status; since when not ready), Initialized (status) and PodScheduled
// (Unschedulable reason, message, since).
const POD_CONDITIONS = new Set(["Ready", "Initialized", "PodScheduled"]);
// backupRun reads Failed and Complete, only when True; a failure's reason, message and time are shown.
const JOB_CONDITIONS = new Set(["Complete", "Failed"]);
const JOB_DETAIL_WHEN_TRUE = new Set(["Failed"]);
// pvc-status reads whether one of these is True.
const PVC_CONDITIONS = new Set(["Resizing", "FileSystemResizePending"]);

/** A mapped list, or the shared empty one. */
function slimList<T>(list: unknown, slim: (item: Raw) => T): readonly T[] {
  const items = list as Raw[] | undefined;
  return items?.length ? items.map(slim) : EMPTY_LIST;
}

// Requests and limits come in a few sizes (one per instance type): one frozen copy per size.
const sharedResources = new Map<string, ResourceRequirements>();
function slimResources(r: Raw | undefined): ResourceRequirements {
  if (!r?.requests && !r?.limits) return NO_RESOURCES;
  const signature = JSON.stringify([r.requests ?? null, r.limits ?? null]);
  return sharedCopy(sharedResources, signature, 10_000, () => {
    const out: ResourceRequirements = {};
    if (r.requests) out.requests = Object.freeze(internedRecord(r.requests));
    if (r.limits) out.limits = Object.freeze(internedRecord(r.limits));
    return Object.freeze(out);
  });
}

// Env, envFrom, command and args are dropped on purpose: they are where credentials live.
function slimContainers(list: unknown): readonly ContainerSpec[] {
  return slimList(list, (c) => ({ name: str(c.name), image: str(c.image) ?? "", resources: slimResources(c.resources) }));
}

function slimState(s: Raw | undefined): ContainerState {
  if (!s || (!s.waiting && !s.running && !s.terminated)) return EMPTY_STATE;
  const out: ContainerState = {};
  if (s.waiting) out.waiting = { reason: str(s.waiting.reason), message: str(s.waiting.message) };
  if (s.running) out.running = RUNNING;
  if (s.terminated) {
    out.terminated = { reason: str(s.terminated.reason), exitCode: s.terminated.exitCode ?? 0, signal: s.terminated.signal, finishedAt: str(s.terminated.finishedAt) };
  }
  return out;
}

function slimContainerStatuses(list: unknown): readonly ContainerStatus[] {
  return slimList(list, (c) => ({
    name: str(c.name),
    ready: Boolean(c.ready),
    restartCount: c.restartCount ?? 0,
    state: slimState(c.state),
    lastState: slimState(c.lastState),
  }));
}

/** The slimmers for a cache whose tenant label is one of `labelKeys` (the only labels kept). */
export function createSlimmers(options: { labelKeys: readonly string[] }) {
  const labelKeys = [...options.labelKeys];
  const slimMeta = (raw: RawObject, meta: MetaOptions = {}) => slimMetaKeeping(raw, labelKeys, meta);
  return {
    namespaces: (raw: RawObject): NamespaceObject => ({ kind: "Namespace", metadata: slimMeta(raw), phase: str((raw as Raw).status?.phase) }),
    deployments: (raw: RawObject): DeploymentObject => {
      const r = raw as Raw;
      return {
        kind: "Deployment",
        metadata: slimMeta(raw, { deployment: true }),
        spec: {
          replicas: r.spec?.replicas ?? 1,
          paused: r.spec?.paused,
          strategy: str(r.spec?.strategy?.type),
          containers: slimContainers(r.spec?.template?.spec?.containers),
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
        metadata: slimMeta(raw, { owners: "kind-name-uid", uniqueName: true }),
        spec: { replicas: r.spec?.replicas ?? 0, images: ((r.spec?.template?.spec?.containers ?? []) as Raw[]).map((c) => str(c.image)) },
        status: { replicas: r.status?.replicas ?? 0, readyReplicas: r.status?.readyReplicas ?? 0, availableReplicas: r.status?.availableReplicas ?? 0 },
      };
    },
    pods: (raw: RawObject): PodObject => {
      const r = raw as Raw;
      return {
        kind: "Pod",
        metadata: slimMeta(raw, { owners: "kind", uniqueName: true }),
        spec: {
          nodeName: str(r.spec?.nodeName),
          containers: slimContainers(r.spec?.containers),
          initContainers: slimContainers(r.spec?.initContainers),
        },
        status: {
          phase: str(r.status?.phase),
          reason: str(r.status?.reason),
          message: str(r.status?.message),
          startTime: str(r.status?.startTime),
          conditions: slimConditionsOf(r.status?.conditions, POD_CONDITIONS),
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
          storageClassName: str(r.spec?.storageClassName) ?? undefined,
          requestedStorage: str(r.spec?.resources?.requests?.storage),
        },
        status: { phase: str(r.status?.phase), capacity: str(r.status?.capacity?.storage), conditions: slimConditionsOf(r.status?.conditions, PVC_CONDITIONS, { onlyTrue: true }) },
      };
    },
    services: (raw: RawObject): ServiceObject => {
      const r = raw as Raw;
      return {
        kind: "Service",
        metadata: slimMeta(raw),
        spec: {
          type: str(r.spec?.type),
          clusterIP: r.spec?.clusterIP,
          ports: ((r.spec?.ports ?? []) as Raw[]).map((p) => ({ name: str(p.name), port: p.port, targetPort: str(p.targetPort), protocol: str(p.protocol) })),
        },
      };
    },
    ingresses: (raw: RawObject): IngressObject => {
      const r = raw as Raw;
      return {
        kind: "Ingress",
        metadata: slimMeta(raw),
        spec: { hosts: ((r.spec?.rules ?? []) as Raw[]).map((rule) => rule.host).filter(Boolean) },
      };
    },
    events: (raw: RawObject): EventObject => {
      const r = raw as Raw;
      return {
        kind: "Event",
        metadata: slimMeta(raw, { uniqueName: true }),
        involvedObject: {
          kind: str(r.involvedObject?.kind),
          name: str(r.involvedObject?.name),
          namespace: str(r.involvedObject?.namespace),
        },
        reason: str(r.reason),
        message: r.message,
        type: str(r.type),
        count: r.count ?? r.series?.count ?? 1,
        firstTimestamp: r.firstTimestamp ?? r.eventTime ?? r.metadata?.creationTimestamp,
        lastTimestamp: r.lastTimestamp ?? r.series?.lastObservedTime ?? r.eventTime ?? r.metadata?.creationTimestamp,
        source: str(r.source?.component ?? r.reportingComponent),
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
        metadata: slimMeta(raw, { owners: "kind", uniqueName: true }),
        status: {
          active: r.status?.active ?? 0,
          succeeded: r.status?.succeeded ?? 0,
          failed: r.status?.failed ?? 0,
          startTime: str(r.status?.startTime),
          completionTime: str(r.status?.completionTime),
          conditions: slimConditionsOf(r.status?.conditions, JOB_CONDITIONS, { onlyTrue: true, detailWhenTrue: JOB_DETAIL_WHEN_TRUE }),
        },
      };
    },
  };
}

/** Slimmers keeping the default tenant label (tests, fixtures, benches). */
export const slimmers = createSlimmers({ labelKeys: [DEFAULT_TENANT_LABEL_KEY] });

export type ResourceName = keyof typeof slimmers;

/** The slim object each resource's slimmer makes. */
export type ObjectByResource = { [R in ResourceName]: ReturnType<(typeof slimmers)[R]> };

/**
 * Where each resource is listed and watched (cluster-wide). CronJobs are not watched: a backup
 * Job's owner reference names its CronJob's kind, which is all the portal reads of them.
 */
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
};

export const RESOURCE_NAMES = Object.keys(RESOURCE_PATHS) as ResourceName[];

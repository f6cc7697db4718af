import "server-only";

/**
 * What every kind's slimmer shares. Raw API objects are reduced as they arrive to what some reader
 * (status derivation, health rules, tenant view, logs) uses: no managedFields, no env values, no
 * volumes, only the revision annotation, only the conditions a rule looks at. The rest of the
 * portal sees the slim types, never client-node's. At 10,000 tenants the cache holds ~90,000 of
 * these, so a field kept "just in case" costs megabytes: add one back when a reader needs it.
 */
import type { RawObject } from "../watch-stream";
import type { Condition } from "@/lib/cluster/views";

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

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API JSON as it arrives; the slimmers read every field defensively (str(), num(), slimList())
export type Raw = Record<string, any>;

export interface MetaOptions {
  /** Keep uid and generation (read for Deployments only). */
  deployment?: boolean;
  /** Which owner reference fields readers use; none are kept otherwise. */
  owners?: "kind" | "kind-name-uid";
  /** Generated names (pods, jobs, ReplicaSets, events) are unique: sharing them saves nothing. */
  uniqueName?: boolean;
}

/** Slims an object's metadata, keeping only the cache's tenant label keys. */
export type MetadataSlimmer = (raw: RawObject, options?: MetaOptions) => ObjectMeta;

/** What a kind module declares: where the kind is listed and watched, and how its objects are slimmed. */
export interface CachedKind<T> {
  /** The cluster-wide list and watch path. */
  path: string;
  slim: (raw: RawObject, slimMetadata: MetadataSlimmer) => T;
}

// The revision is the only annotation a reader uses (a Deployment's current ReplicaSet). Others
// cost memory and can leak: last-applied-configuration can embed whole manifests, secrets included.
// (StorageClass's is-default-class is read from the raw object by its slimmer.)
export const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
/** Set by the stop runbook on the Deployment: the replicas to start it with again. */
export const REPLICAS_BEFORE_STOP_ANNOTATION = "fleetdeck.io/replicas-before-stop";

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
export function interned<T>(value: T): T {
  return typeof value === "string" ? (intern(value) as T) : value;
}

function internedRecord(record: Raw): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key in record) out[intern(key)] = interned(record[key]);
  return out;
}

// Shared by every object that has none: most objects have no kept annotation, no owner, no init
// containers. Frozen, since one mutation would show on all of them.
const EMPTY_RECORD: Readonly<Record<string, string>> = Object.freeze({});
const EMPTY_LIST: readonly never[] = Object.freeze([]);
const NO_RESOURCES: ResourceRequirements = Object.freeze({});

/**
 * The one shared copy per key in `table`, made on first use. A full table starts over; objects
 * keep the copies they already share. Shared copies are frozen by their makers, since one
 * mutation would show on every object holding them.
 */
export function sharedCopy<V>(table: Map<string, V>, key: string, max: number, make: () => V): V {
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

export function slimMetadata(raw: RawObject, labelKeys: readonly string[], options: MetaOptions): ObjectMeta {
  const m: Raw = raw.metadata ?? {};
  const revision = m.annotations?.[REVISION_ANNOTATION];
  // A stopped instance's remembered replica count (the start runbook reads it); rare, so no cost.
  const remembered = options.deployment ? m.annotations?.[REPLICAS_BEFORE_STOP_ANNOTATION] : undefined;
  const annotations =
    typeof remembered === "string"
      ? { ...(typeof revision === "string" ? { [REVISION_ANNOTATION]: intern(revision) } : {}), [REPLICAS_BEFORE_STOP_ANNOTATION]: remembered }
      : typeof revision === "string"
        ? { [REVISION_ANNOTATION]: intern(revision) }
        : EMPTY_RECORD;
  const owners = m.ownerReferences as Raw[] | undefined;
  const meta: ObjectMeta = {
    name: (options.uniqueName ? m.name : interned(m.name)) ?? "",
    namespace: m.namespace ? intern(m.namespace) : undefined,
    resourceVersion: m.resourceVersion ?? "",
    creationTimestamp: interned(m.creationTimestamp),
    labels: keptLabels(m.labels, labelKeys),
    annotations,
    ownerReferences:
      !owners?.length || !options.owners
        ? EMPTY_LIST
        : options.owners === "kind"
          ? ownerKinds(owners)
          : owners.map((o) => ({ kind: interned(o.kind), name: interned(o.name), uid: o.uid })),
  };
  // Added only when kept or set: an absent property costs nothing, an undefined one a slot.
  if (options.deployment) {
    meta.uid = m.uid ?? `${m.namespace ?? ""}/${m.name ?? ""}`;
    meta.generation = m.generation;
  }
  if (m.deletionTimestamp) meta.deletionTimestamp = interned(m.deletionTimestamp);
  return meta;
}

/** A mapped list, or the shared empty one. */
export function slimList<T>(list: unknown, slim: (item: Raw) => T): readonly T[] {
  const items = list as Raw[] | undefined;
  return items?.length ? items.map(slim) : EMPTY_LIST;
}

function slimCondition(c: Raw): Condition {
  return {
    type: interned(c.type),
    status: interned(c.status),
    reason: interned(c.reason),
    message: interned(c.message),
    lastTransitionTime: interned(c.lastTransitionTime ?? c.lastUpdateTime),
  };
}

export function slimConditions(list: unknown): readonly Condition[] {
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
export function slimConditionsOf(
  list: unknown,
  types: ReadonlySet<string>,
  options: { onlyTrue?: boolean; detailWhenTrue?: ReadonlySet<string> } = {},
): readonly Condition[] {
  const out: Condition[] = [];
  for (const c of (list ?? []) as Raw[]) {
    if (!types.has(c.type)) continue;
    if (c.status === "True" && !options.detailWhenTrue?.has(c.type)) out.push(trueCondition(c.type));
    else if (!options.onlyTrue || c.status === "True") out.push(slimCondition(c));
  }
  return out.length > 0 ? out : EMPTY_LIST;
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
export function slimContainer(c: Raw): ContainerSpec {
  return { name: interned(c.name), image: interned(c.image) ?? "", resources: slimResources(c.resources) };
}

export function slimContainers(list: unknown): readonly ContainerSpec[] {
  return slimList(list, slimContainer);
}

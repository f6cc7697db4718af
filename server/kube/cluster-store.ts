import "server-only";

/**
 * The in-memory side of the cluster cache: objects by resource, indexed by namespace and by
 * tenant, plus kubelet volume usage, per-feed freshness and change listeners. It knows nothing
 * about HTTP: feeds (cluster-cache.ts) and tests push watch events into it with `apply`.
 */
import type { ClusterReads } from "./cluster-source";
import type { KubeError } from "./kube-error";
import type { EventObject } from "./kinds/event";
import type { CachedObject, ObjectByResource, ResourceName } from "./kinds";
import type { WatchEvent } from "./watch-stream";
import type { FeedFreshness, FeedName } from "@/lib/cluster/views";
export type { FeedFreshness, FeedName };

export interface CacheChange {
  kind: FeedName;
  /** "*" for feed-wide changes (freshness flips, full relists). */
  name: string;
  namespace?: string;
  tenantId?: string;
}

export interface VolumeUsage {
  namespace: string;
  pvc: string;
  usedBytes: number;
  capacityBytes: number;
  observedAt: string;
}

interface FeedState {
  synced: boolean;
  lastEventAt?: number;
  staleSince?: number;
  error?: string;
  /** The error's full text (the API address, the socket error, the API's message): for admins only. */
  detail?: string;
}

const EVENTS_KEPT_PER_NAMESPACE = 50;

type Listener = (change: CacheChange) => void;

/**
 * The keys of one index bucket (a namespace or a tenant). Nearly every bucket holds a single key
 * (one deployment, one pvc... per tenant), and a Set costs ~150 bytes where the key alone costs
 * nothing extra: one key is stored as itself and becomes a Set only when a second one arrives.
 */
type Bucket = string | Set<string>;
type BucketIndex = Map<ResourceName, Map<string, Bucket>>;

export class ClusterStore implements ClusterReads {
  readonly tenantLabelKey: string;
  private readonly coalesceMs: number;
  private readonly objects = new Map<ResourceName, Map<string, CachedObject>>();
  private readonly byNamespace: BucketIndex = new Map();
  private readonly byTenant: BucketIndex = new Map();
  private readonly namespaceTenant = new Map<string, string>();
  private readonly volumes = new Map<string, VolumeUsage>();
  private readonly feeds = new Map<FeedName, FeedState>();
  private readonly listeners = new Set<Listener>();
  private pending = new Map<string, CacheChange>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: { tenantLabelKey: string; coalesceMs?: number; feeds: FeedName[] }) {
    this.tenantLabelKey = options.tenantLabelKey;
    this.coalesceMs = options.coalesceMs ?? 20;
    for (const feed of options.feeds) this.feeds.set(feed, { synced: false });
  }

  // ---- writes ----------------------------------------------------------------------------

  apply<R extends ResourceName>(resource: R, event: WatchEvent<ObjectByResource[R]>, now = Date.now()): void {
    const feed = this.feedState(resource);
    switch (event.type) {
      case "sync":
        this.replaceAll(resource, event.items);
        feed.synced = true;
        this.markFresh(resource, feed, now);
        return;
      case "connected":
      case "bookmark":
        this.markFresh(resource, feed, now);
        return;
      case "added":
      case "modified":
        if (isKept(event.object)) this.upsert(resource, event.object);
        else this.remove(resource, keyOf(event.object));
        this.markFresh(resource, feed, now);
        return;
      case "deleted":
        this.remove(resource, keyOf(event.object));
        this.markFresh(resource, feed, now);
        return;
      case "error":
        this.markError(resource, event.error, now);
        return;
    }
  }

  /**
   * The kubelet stats poller reports what it saw; `replaceMissing` drops volumes it no longer
   * saw (only when every node answered, so one unreachable node does not blank its volumes).
   */
  setVolumeUsage(usages: VolumeUsage[], options: { replaceMissing: boolean }, now = Date.now()): void {
    const seen = new Set<string>();
    for (const usage of usages) {
      const key = `${usage.namespace}/${usage.pvc}`;
      seen.add(key);
      const before = this.volumes.get(key);
      this.volumes.set(key, usage);
      // Only a change visible at the displayed precision (0.1%) is worth recomputing a tenant for.
      if (!before || percentTenths(before) !== percentTenths(usage)) {
        this.queueChange({
          kind: "volume-stats",
          namespace: usage.namespace,
          name: usage.pvc,
          tenantId: this.namespaceTenant.get(usage.namespace) ?? this.tenantOfPvc(key),
        });
      }
    }
    if (options.replaceMissing) {
      for (const [key, usage] of this.volumes) {
        if (seen.has(key)) continue;
        this.volumes.delete(key);
        this.queueChange({ kind: "volume-stats", namespace: usage.namespace, name: usage.pvc, tenantId: this.namespaceTenant.get(usage.namespace) });
      }
    }
    const feed = this.feedState("volume-stats");
    feed.synced = true;
    this.markFresh("volume-stats", feed, now);
  }

  markError(kind: FeedName, error: KubeError, now = Date.now()): void {
    const feed = this.feedState(kind);
    const wasStale = feed.staleSince !== undefined;
    // A silent watch stopped being live when it last heard from the API server, not when the
    // watchdog noticed the silence a whole timeout later.
    feed.staleSince ??= error.kind === "stalled" ? (feed.lastEventAt ?? now) : now;
    feed.error = error.summary;
    feed.detail = error.path && !error.message.includes(error.path) ? `${error.message} (${error.path})` : error.message;
    if (!wasStale) this.queueChange({ kind, name: "*" });
  }

  // ---- reads -----------------------------------------------------------------------------

  get<R extends ResourceName>(resource: R, namespace: string | undefined, name: string): ObjectByResource[R] | undefined {
    return this.objects.get(resource)?.get(`${namespace ?? ""}/${name}`) as ObjectByResource[R] | undefined;
  }

  list<R extends ResourceName>(resource: R): ObjectByResource[R][] {
    return [...(this.objects.get(resource)?.values() ?? [])] as ObjectByResource[R][];
  }

  count(resource: ResourceName): number {
    return this.objects.get(resource)?.size ?? 0;
  }

  listInNamespace<R extends ResourceName>(resource: R, namespace: string): ObjectByResource[R][] {
    return this.resolve(resource, this.byNamespace.get(resource)?.get(namespace));
  }

  listForTenant<R extends ResourceName>(resource: R, tenantId: string): ObjectByResource[R][] {
    return this.resolve(resource, this.byTenant.get(resource)?.get(tenantId));
  }

  /** Every tenant id seen on a cached object (label, or the label of its namespace). */
  tenantIds(): Set<string> {
    const ids = new Set<string>();
    for (const index of this.byTenant.values()) for (const id of index.keys()) ids.add(id);
    return ids;
  }

  tenantOf(object: CachedObject): string | undefined {
    const namespace = object.metadata.namespace;
    return this.tenantWhenNamespaceOf(object, namespace ? this.namespaceTenant.get(namespace) : undefined);
  }

  /** The object's own tenant label, else `namespaceTenant` (its namespace's tenant, now or before a change). */
  private tenantWhenNamespaceOf(object: CachedObject, namespaceTenant: string | undefined): string | undefined {
    return object.metadata.labels[this.tenantLabelKey] ?? namespaceTenant;
  }

  volumeUsage(namespace: string, pvc: string): VolumeUsage | undefined {
    return this.volumes.get(`${namespace}/${pvc}`);
  }

  allVolumeUsage(): VolumeUsage[] {
    return [...this.volumes.values()];
  }

  freshness(): FeedFreshness[] {
    return [...this.feeds.entries()].map(([kind, state]) => ({
      kind,
      synced: state.synced,
      objects: kind === "volume-stats" ? this.volumes.size : this.count(kind),
      lastEventAt: state.lastEventAt ? new Date(state.lastEventAt).toISOString() : undefined,
      stale: !state.synced || state.staleSince !== undefined,
      staleSince: state.staleSince ? new Date(state.staleSince).toISOString() : undefined,
      error: state.error,
    }));
  }

  /**
   * Each feed's freshness with its last error's full text. Not for viewers (freshness() is): the
   * detail names the API server's address, socket errors and the API's own message.
   */
  feedDiagnostics(): (FeedFreshness & { detail?: string })[] {
    return this.freshness().map((feed) => ({ ...feed, ...(feed.error ? { detail: this.feeds.get(feed.kind)?.detail } : {}) }));
  }

  isSynced(kind: FeedName): boolean {
    return this.feeds.get(kind)?.synced ?? false;
  }

  /** All resource feeds have listed once (volume stats are not required: they come later). */
  isWarm(): boolean {
    for (const [kind, state] of this.feeds) if (kind !== "volume-stats" && !state.synced) return false;
    return true;
  }

  /** Resolves true once every resource listed once, false when the timeout passes first. */
  whenWarm(timeoutMs: number): Promise<boolean> {
    if (this.isWarm()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        clearInterval(poll);
        resolve(this.isWarm());
      }, timeoutMs);
      const poll = setInterval(() => {
        if (!this.isWarm()) return;
        clearInterval(poll);
        clearTimeout(timer);
        resolve(true);
      }, 25);
    });
  }

  /**
   * Changes are coalesced: a burst is delivered once per object after `coalesceMs`, so a relist
   * or a rollout does not call listeners thousands of times for the same object.
   */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Delivers queued changes now (tests; shutdown). */
  flushChanges(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    for (const change of batch.values()) {
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch (error) {
          console.error("[cluster-cache] change listener failed", error);
        }
      }
    }
  }

  // ---- internals -------------------------------------------------------------------------

  private feedState(kind: FeedName): FeedState {
    let state = this.feeds.get(kind);
    if (!state) {
      state = { synced: false };
      this.feeds.set(kind, state);
    }
    return state;
  }

  private markFresh(kind: FeedName, feed: FeedState, now: number): void {
    feed.lastEventAt = now;
    if (feed.staleSince !== undefined) {
      feed.staleSince = undefined;
      feed.error = undefined;
      feed.detail = undefined;
      this.queueChange({ kind, name: "*" });
    }
  }

  private resolve<R extends ResourceName>(resource: R, bucket: Bucket | undefined): ObjectByResource[R][] {
    if (bucket === undefined) return [];
    const objects = this.objects.get(resource)!;
    const out: ObjectByResource[R][] = [];
    for (const key of bucketKeys(bucket)) {
      const object = objects.get(key);
      if (object) out.push(object as ObjectByResource[R]);
    }
    return out;
  }

  private tenantOfPvc(key: string): string | undefined {
    const pvc = this.objects.get("persistentvolumeclaims")?.get(key);
    return pvc ? this.indexedTenant(pvc) : undefined;
  }

  /**
   * The tenant bucket an object is filed under. No per-key record of it is kept (at 90,000
   * objects that map was 4 MB): it is what `tenantOf` says now, because every change of a
   * namespace's tenant re-files that namespace's objects at once (reindexNamespace).
   */
  private indexedTenant(object: CachedObject): string | undefined {
    return this.tenantOf(object) || undefined;
  }

  private replaceAll(resource: ResourceName, items: CachedObject[]): void {
    const current = this.objects.get(resource) ?? new Map<string, CachedObject>();
    const incoming = new Set<string>();
    for (const item of items) {
      if (!isKept(item)) continue;
      const key = keyOf(item);
      incoming.add(key);
      const before = current.get(key);
      if (before && before.metadata.resourceVersion === item.metadata.resourceVersion) continue;
      this.upsert(resource, item);
    }
    for (const key of [...current.keys()]) if (!incoming.has(key)) this.remove(resource, key);
    this.queueChange({ kind: resource, name: "*" });
  }

  private upsert(resource: ResourceName, object: CachedObject): void {
    const key = keyOf(object);
    let objects = this.objects.get(resource);
    if (!objects) {
      objects = new Map();
      this.objects.set(resource, objects);
    }
    const previous = objects.get(key);
    const tenantBefore = previous ? this.indexedTenant(previous) : undefined;
    objects.set(key, object);
    const namespace = object.metadata.namespace;
    if (namespace) addToIndex(this.byNamespace, resource, namespace, key);

    if (resource === "namespaces") {
      const tenantId = object.metadata.labels[this.tenantLabelKey];
      const before = this.namespaceTenant.get(object.metadata.name);
      if (tenantId) this.namespaceTenant.set(object.metadata.name, tenantId);
      else this.namespaceTenant.delete(object.metadata.name);
      if (before !== tenantId) this.reindexNamespace(object.metadata.name, before);
    }
    const tenantId = this.indexTenant(resource, key, object, tenantBefore);
    this.queueChange({ kind: resource, namespace, name: object.metadata.name, tenantId });
    if (resource === "events" && namespace) this.trimEvents(namespace);
  }

  private remove(resource: ResourceName, key: string): void {
    const objects = this.objects.get(resource);
    const object = objects?.get(key);
    if (!objects || !object) return;
    objects.delete(key);
    const namespace = object.metadata.namespace;
    if (namespace) removeFromIndex(this.byNamespace, resource, namespace, key);
    const tenantId = this.indexedTenant(object);
    if (tenantId) removeFromIndex(this.byTenant, resource, tenantId, key);
    if (resource === "namespaces") {
      const before = this.namespaceTenant.get(object.metadata.name);
      if (this.namespaceTenant.delete(object.metadata.name)) this.reindexNamespace(object.metadata.name, before);
    }
    this.queueChange({ kind: resource, namespace, name: object.metadata.name, tenantId });
  }

  /** Files `object` under its tenant; `before` is the tenant its key was filed under until now. */
  private indexTenant(resource: ResourceName, key: string, object: CachedObject, before: string | undefined): string | undefined {
    const tenantId = this.tenantOf(object);
    if (before === tenantId) return tenantId;
    if (before) {
      removeFromIndex(this.byTenant, resource, before, key);
      this.queueChange({ kind: resource, namespace: object.metadata.namespace, name: object.metadata.name, tenantId: before });
    }
    if (tenantId) addToIndex(this.byTenant, resource, tenantId, key);
    return tenantId;
  }

  /**
   * Objects without their own tenant label inherit it from the namespace, which may arrive later.
   * `previousTenant` is the namespace's tenant before this change: its objects were filed by it.
   */
  private reindexNamespace(namespace: string, previousTenant: string | undefined): void {
    for (const [resource, index] of this.byNamespace) {
      const bucket = index.get(namespace);
      if (bucket === undefined) continue;
      const objects = this.objects.get(resource)!;
      for (const key of bucketKeys(bucket)) {
        const object = objects.get(key);
        if (!object) continue;
        const tenantId = this.indexTenant(resource, key, object, this.tenantWhenNamespaceOf(object, previousTenant) || undefined);
        this.queueChange({ kind: resource, namespace, name: object.metadata.name, tenantId });
      }
    }
  }

  private trimEvents(namespace: string): void {
    const bucket = this.byNamespace.get("events")?.get(namespace);
    if (bucket === undefined || bucketSize(bucket) <= EVENTS_KEPT_PER_NAMESPACE + 10) return;
    const events = this.resolve("events", bucket).sort(byLastSeen);
    for (const event of events.slice(EVENTS_KEPT_PER_NAMESPACE)) this.remove("events", keyOf(event));
  }

  private queueChange(change: CacheChange): void {
    if (this.listeners.size === 0) return;
    this.pending.set(`${change.kind}/${change.namespace ?? ""}/${change.name}/${change.tenantId ?? ""}`, change);
    this.flushTimer ??= setTimeout(() => this.flushChanges(), this.coalesceMs);
  }
}

/**
 * Pods of finished Jobs are never shown (the Job's own status says how a backup went); at 10,000
 * tenants they would be a tenth of the cache.
 */
function isKept(object: CachedObject): boolean {
  if (object.kind !== "Pod") return true;
  const finished = object.status.phase === "Succeeded" || object.status.phase === "Failed";
  return !(finished && object.metadata.ownerReferences.some((owner) => owner.kind === "Job"));
}

function percentTenths(usage: VolumeUsage): number {
  return usage.capacityBytes > 0 ? Math.round((usage.usedBytes / usage.capacityBytes) * 1000) : -1;
}

function byLastSeen(a: EventObject, b: EventObject): number {
  return (b.lastTimestamp ?? "").localeCompare(a.lastTimestamp ?? "");
}

function keyOf(object: CachedObject): string {
  return `${object.metadata.namespace ?? ""}/${object.metadata.name}`;
}

function bucketKeys(bucket: Bucket): Iterable<string> {
  return typeof bucket === "string" ? [bucket] : bucket;
}

function bucketSize(bucket: Bucket): number {
  return typeof bucket === "string" ? 1 : bucket.size;
}

function addToIndex(index: BucketIndex, resource: ResourceName, bucket: string, key: string): void {
  let byBucket = index.get(resource);
  if (!byBucket) {
    byBucket = new Map();
    index.set(resource, byBucket);
  }
  const keys = byBucket.get(bucket);
  if (keys === undefined) byBucket.set(bucket, key);
  else if (typeof keys !== "string") keys.add(key);
  else if (keys !== key) byBucket.set(bucket, new Set([keys, key]));
}

function removeFromIndex(index: BucketIndex, resource: ResourceName, bucket: string, key: string): void {
  const byBucket = index.get(resource);
  const keys = byBucket?.get(bucket);
  if (!byBucket || keys === undefined) return;
  if (typeof keys === "string") {
    if (keys === key) byBucket.delete(bucket);
    return;
  }
  keys.delete(key);
  if (keys.size === 1) byBucket.set(bucket, keys.values().next().value!);
  else if (keys.size === 0) byBucket.delete(bucket);
}

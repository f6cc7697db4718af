import { randomUUID } from "node:crypto";
import { ApiError, alreadyExists, conflict, invalid, notFound, type StatusCause } from "./api-error";
import { resourceByKey } from "./resources";
import type { DeleteOptions, KubeObject, ResourceType, StoreEvent, StoreEventType } from "./types";

/** Names most kinds accept (RFC 1123 subdomain). */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Names of namespaces (RFC 1123 label). */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Service names (RFC 1035 label: must start with a letter). */
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const GENERATE_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export interface ObjectStoreOptions {
  /** How many recent events watches can resume from; older versions get 410 Gone. */
  historySize?: number;
  /** Freeze stored objects so accidental mutation throws (cheap insurance against shared snapshots). */
  freeze?: boolean;
}

interface ResourceTable {
  type: ResourceType;
  /** namespace ("" for cluster-scoped) -> name -> object */
  byNamespace: Map<string, Map<string, KubeObject>>;
  count: number;
  /** Bumped by every add, change and removal: what list() returns may be the same array after a change. */
  version: number;
  /** Sorted snapshot for list/paging; rebuilt lazily after adds, removes or changes. */
  sorted?: KubeObject[];
  sortedByNamespace: Map<string, KubeObject[]>;
}

type Listener = (ev: StoreEvent) => void;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/**
 * Deep copy of plain JSON data (undefined properties dropped, as JSON does). A hand-written walk is
 * several times faster than a JSON round trip or structuredClone, and startup clones ~100k objects.
 */
export function cloneObject<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneObject(value[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = cloneObject(v);
  }
  return out as T;
}

/** Structural equality of JSON data (undefined properties count as absent, as in JSON). */
export function jsonEqual(a: unknown, b: unknown, skip?: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], bb[i])) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let count = 0;
  for (const k in ao) {
    if (ao[k] === undefined || skip?.has(k)) continue;
    count++;
    if (!jsonEqual(ao[k], bo[k])) return false;
  }
  for (const k in bo) if (bo[k] !== undefined && !skip?.has(k)) count--;
  return count === 0;
}

const NOT_SPEC = new Set(["metadata", "status", "apiVersion", "kind"]);

/** Everything except metadata and status is what a generation bump tracks. */
function sameSpec(a: KubeObject, b: KubeObject): boolean {
  return jsonEqual(a, b, NOT_SPEC);
}

function sameIgnoringRv(a: KubeObject, b: KubeObject): boolean {
  return jsonEqual(a.metadata, b.metadata, new Set(["resourceVersion"])) && jsonEqual(a, b, new Set(["metadata"]));
}

function compareObjects(a: KubeObject, b: KubeObject): number {
  const an = a.metadata.namespace ?? "";
  const bn = b.metadata.namespace ?? "";
  if (an !== bn) return an < bn ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

function replaceSorted(arr: KubeObject[] | undefined, previous: KubeObject, next: KubeObject): void {
  if (!arr) return;
  let lo = 0;
  let hi = arr.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = compareObjects(arr[mid]!, previous);
    if (c === 0) {
      arr[mid] = next;
      return;
    }
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
}

/** The finalizer a foreground deletion holds its object by (metav1.FinalizerDeleteDependents). */
export const FOREGROUND_FINALIZER = "foregroundDeletion";

/**
 * In-memory etcd: one global monotonic resourceVersion, per-resource maps keyed by
 * namespace/name, immutable snapshots, a bounded event history for watch resume.
 */
export class ObjectStore {
  private tables = new Map<string, ResourceTable>();
  private rv = 0;
  private listeners = new Set<Listener>();
  private history: StoreEvent[] = [];
  private historyStart = 0;
  /** rv of the newest event dropped from history: watches from before it must relist. */
  private compactedRv = 0;
  private readonly historySize: number;
  private readonly freeze: boolean;
  /** owner uid -> dependents, for the garbage collector */
  private dependents = new Map<string, Set<string>>();
  private json = new WeakMap<KubeObject, string>();
  private itemJson = new WeakMap<KubeObject, string>();

  constructor(opts: ObjectStoreOptions = {}) {
    this.historySize = opts.historySize ?? 50_000;
    this.freeze = opts.freeze ?? true;
  }

  currentRv(): number {
    return this.rv;
  }

  /** Oldest resourceVersion a watch can still start from. */
  oldestRv(): number {
    return this.compactedRv;
  }

  /**
   * Forgets the history up to `rv`, as the API server's periodic etcd compaction does: a watch or
   * a continue token from before it is then 410 Expired and the client must relist.
   */
  compact(rv: number): void {
    if (rv <= this.compactedRv) return;
    const target = Math.min(rv, this.rv);
    while (this.historyStart < this.history.length && this.history[this.historyStart]!.rv <= target) this.historyStart++;
    this.history = this.history.slice(this.historyStart);
    this.historyStart = 0;
    this.compactedRv = target;
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Serialized JSON of a stored snapshot, computed once per version. */
  toJson(obj: KubeObject): string {
    let s = this.json.get(obj);
    if (s === undefined) {
      s = JSON.stringify(obj);
      this.json.set(obj, s);
    }
    return s;
  }

  /** JSON of a snapshot as a list item: built-in lists leave each item's kind and apiVersion off (the list has them). */
  toItemJson(obj: KubeObject): string {
    let s = this.itemJson.get(obj);
    if (s === undefined) {
      s = JSON.stringify({ ...obj, kind: undefined, apiVersion: undefined });
      this.itemJson.set(obj, s);
    }
    return s;
  }

  get(key: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const t = this.tables.get(key);
    return t?.byNamespace.get(this.nsKey(t, namespace))?.get(name);
  }

  /** Objects sorted by namespace then name, as etcd's key order gives. Do not mutate the array. */
  list(key: string, namespace?: string): KubeObject[] {
    const t = this.tables.get(key);
    if (!t) return [];
    if (namespace !== undefined && t.type.namespaced) {
      let cached = t.sortedByNamespace.get(namespace);
      if (!cached) {
        const m = t.byNamespace.get(namespace);
        cached = m ? [...m.keys()].sort().map((n) => m.get(n)!) : [];
        t.sortedByNamespace.set(namespace, cached);
      }
      return cached;
    }
    if (!t.sorted) {
      const out: KubeObject[] = [];
      for (const ns of [...t.byNamespace.keys()].sort()) {
        const m = t.byNamespace.get(ns)!;
        for (const n of [...m.keys()].sort()) out.push(m.get(n)!);
      }
      t.sorted = out;
    }
    return t.sorted;
  }

  /**
   * Changes whenever an object of the kind is added, changed or removed. list() patches its
   * snapshot in place on a change, so a cache of anything derived from it keys on this instead.
   */
  listVersion(key: string): number {
    return this.tables.get(key)?.version ?? 0;
  }

  count(key: string): number {
    return this.tables.get(key)?.count ?? 0;
  }

  namespacesOf(key: string): string[] {
    return [...(this.tables.get(key)?.byNamespace.keys() ?? [])];
  }

  create(key: string, input: KubeObject, opts: { dryRun?: boolean } = {}): KubeObject {
    const t = this.table(key);
    const obj = cloneObject(input);
    const r = t.type;
    obj.apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    obj.kind = r.kind;
    obj.metadata ??= { name: "" };
    const meta = obj.metadata;
    if (!r.namespaced) delete meta.namespace;
    else if (!meta.namespace) meta.namespace = "default";
    if (!meta.name && meta.generateName) meta.name = this.generateName(t, meta.namespace, meta.generateName);
    this.validateMeta(r, obj);
    if (this.get(key, meta.namespace, meta.name)) throw alreadyExists(r.plural, meta.name, r.group);
    meta.uid ||= randomUUID();
    meta.creationTimestamp ||= new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    meta.generation = 1;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (opts.dryRun) {
      delete meta.resourceVersion;
      return this.seal(obj);
    }
    return this.commit(t, "ADDED", obj);
  }

  update(key: string, input: KubeObject, opts: { dryRun?: boolean; subresource?: "status" } = {}): KubeObject {
    const t = this.table(key);
    const r = t.type;
    const ns = r.namespaced ? input.metadata?.namespace || "default" : undefined;
    const name = input.metadata?.name;
    const current = name ? this.get(key, ns, name) : undefined;
    if (!current) throw notFound(r.plural, name ?? "", r.group);
    const rv = input.metadata.resourceVersion;
    if (rv && rv !== current.metadata.resourceVersion) throw conflict(r.plural, name!, r.group);
    let next: KubeObject;
    if (opts.subresource === "status") {
      next = cloneObject(current);
      if (input.status === undefined) delete next.status;
      else next.status = cloneObject(input.status);
    } else {
      next = cloneObject(input);
      next.apiVersion = current.apiVersion;
      next.kind = current.kind;
      // Immutable metadata stays as stored, whatever the client sent.
      next.metadata.uid = current.metadata.uid;
      next.metadata.creationTimestamp = current.metadata.creationTimestamp;
      next.metadata.namespace = current.metadata.namespace;
      next.metadata.generation = current.metadata.generation;
      if (current.metadata.deletionTimestamp) {
        next.metadata.deletionTimestamp = current.metadata.deletionTimestamp;
        next.metadata.deletionGracePeriodSeconds = current.metadata.deletionGracePeriodSeconds;
      } else {
        delete next.metadata.deletionTimestamp;
        delete next.metadata.deletionGracePeriodSeconds;
      }
      if (current.status === undefined) delete next.status;
      else next.status = current.status;
      this.validateMeta(r, next);
      if (!sameSpec(next, current)) next.metadata.generation = (current.metadata.generation ?? 1) + 1;
    }
    if (opts.dryRun) {
      next.metadata.resourceVersion = current.metadata.resourceVersion;
      return this.seal(next);
    }
    if (sameIgnoringRv(next, current)) {
      // A no-op write keeps the resourceVersion and emits nothing, as the apiserver does.
      return current;
    }
    const stored = this.commit(t, "MODIFIED", next, current);
    this.finishIfReleased(key, stored);
    return stored;
  }

  mutate(key: string, namespace: string | undefined, name: string, fn: (draft: KubeObject) => void): KubeObject | undefined {
    const t = this.table(key);
    const current = this.get(key, namespace, name);
    if (!current) return undefined;
    const draft = cloneObject(current);
    fn(draft);
    draft.apiVersion = current.apiVersion;
    draft.kind = current.kind;
    draft.metadata.name = current.metadata.name;
    draft.metadata.namespace = current.metadata.namespace;
    draft.metadata.uid = current.metadata.uid;
    draft.metadata.resourceVersion = current.metadata.resourceVersion;
    if (jsonEqual(draft, current)) return current;
    if (!sameSpec(draft, current)) draft.metadata.generation = (current.metadata.generation ?? 1) + 1;
    const stored = this.commit(t, "MODIFIED", draft, current);
    this.finishIfReleased(key, stored);
    return stored;
  }

  delete(key: string, namespace: string | undefined, name: string, opts: DeleteOptions = {}): KubeObject {
    const t = this.table(key);
    const r = t.type;
    const current = this.get(key, namespace, name);
    if (!current) throw notFound(r.plural, name, r.group);
    const policy = opts.propagationPolicy ?? "Background";
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

    let grace = 0;
    if (key === "core/pods") {
      grace = opts.gracePeriodSeconds ?? current.spec?.terminationGracePeriodSeconds ?? 30;
      // An unscheduled pod has no kubelet to stop it: the apiserver removes it at once.
      if (!current.spec?.nodeName) grace = 0;
      if (grace < 0) grace = 0;
    }
    const finalizers = current.metadata.finalizers ?? [];
    const graceful = grace > 0 || finalizers.length > 0 || key === "core/namespaces";

    // Foreground: the object stays, marked and held by the foregroundDeletion finalizer, until the
    // garbage collector has removed the dependents that block it (blockOwnerDeletion). Pods keep
    // their graceful path: their kubelet removes them.
    if (policy === "Foreground" && key !== "core/pods" && key !== "core/namespaces") {
      if (opts.dryRun) {
        const draft = cloneObject(current);
        draft.metadata.deletionTimestamp ??= now;
        if (!finalizers.includes(FOREGROUND_FINALIZER)) draft.metadata.finalizers = [...finalizers, FOREGROUND_FINALIZER];
        return this.seal(draft);
      }
      if (current.metadata.deletionTimestamp) return current;
      const marked = this.mutate(key, namespace, name, (d) => {
        d.metadata.deletionTimestamp = now;
        d.metadata.finalizers = [...(d.metadata.finalizers ?? []).filter((f) => f !== FOREGROUND_FINALIZER), FOREGROUND_FINALIZER];
      });
      this.collectDependents(current);
      this.releaseWhenDependentsGone(key, current);
      return marked ?? current;
    }

    if (opts.dryRun) {
      if (!graceful) return current;
      const draft = cloneObject(current);
      draft.metadata.deletionTimestamp ??= now;
      if (grace > 0) draft.metadata.deletionGracePeriodSeconds = grace;
      return this.seal(draft);
    }

    if (policy === "Orphan") this.orphanDependents(current);
    else this.collectDependents(current);

    if (key === "core/namespaces") return this.deleteNamespace(current, now);

    if (!graceful) {
      this.remove(key, namespace, name);
      return current;
    }
    if (current.metadata.deletionTimestamp) {
      // Deleting again only matters when it forces an immediate removal.
      if (grace === 0 && finalizers.length === 0 && key === "core/pods" && opts.gracePeriodSeconds === 0) this.remove(key, namespace, name);
      return current;
    }
    const stored = this.mutate(key, namespace, name, (d) => {
      d.metadata.deletionTimestamp = d.metadata.deletionTimestamp ?? new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
      if (key === "core/pods") d.metadata.deletionGracePeriodSeconds = grace;
    });
    return stored ?? current;
  }

  remove(key: string, namespace: string | undefined, name: string): void {
    const t = this.tables.get(key);
    if (!t) return;
    const nsKey = this.nsKey(t, namespace);
    const m = t.byNamespace.get(nsKey);
    const current = m?.get(name);
    if (!m || !current) return;
    m.delete(name);
    if (m.size === 0) t.byNamespace.delete(nsKey);
    t.count--;
    t.version++;
    t.sorted = undefined;
    t.sortedByNamespace.delete(nsKey);
    this.unindex(key, current);
    this.rv++;
    const gone: KubeObject = { ...current, metadata: { ...current.metadata, resourceVersion: String(this.rv) } };
    if (this.freeze) Object.freeze(Object.freeze(gone).metadata);
    this.emit({ type: "DELETED", resource: key, object: gone, rv: this.rv });
    // Owned objects outlive their owner only when orphaned explicitly.
    this.collectDependents(current);
  }

  /** Store events after `rv`, or "gone" when that version is older than the retained history. */
  eventsSince(rv: number, key?: string): StoreEvent[] | "gone" {
    if (rv < this.compactedRv) return "gone";
    if (rv >= this.rv) return [];
    const h = this.history;
    let lo = this.historyStart;
    let hi = h.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (h[mid]!.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    const out: StoreEvent[] = [];
    for (let i = lo; i < h.length; i++) {
      const ev = h[i]!;
      if (!key || ev.resource === key) out.push(ev);
    }
    return out;
  }

  private table(key: string): ResourceTable {
    let t = this.tables.get(key);
    if (!t) {
      const type = resourceByKey(key);
      if (!type) throw new ApiError(404, "NotFound", `the server could not find the requested resource (${key})`);
      t = { type, byNamespace: new Map(), count: 0, version: 0, sortedByNamespace: new Map() };
      this.tables.set(key, t);
    }
    return t;
  }

  private nsKey(t: ResourceTable, namespace: string | undefined): string {
    return t.type.namespaced ? namespace || "default" : "";
  }

  private seal(obj: KubeObject): KubeObject {
    return this.freeze ? deepFreeze(obj) : obj;
  }

  private commit(t: ResourceTable, type: StoreEventType, obj: KubeObject, previous?: KubeObject): KubeObject {
    this.rv++;
    obj.metadata.resourceVersion = String(this.rv);
    this.seal(obj);
    const nsKey = this.nsKey(t, obj.metadata.namespace);
    let m = t.byNamespace.get(nsKey);
    if (!m) {
      m = new Map();
      t.byNamespace.set(nsKey, m);
    }
    m.set(obj.metadata.name, obj);
    t.version++;
    if (previous) {
      // A change keeps the sort order: patch the cached snapshots in place instead of re-sorting on the next list.
      replaceSorted(t.sorted, previous, obj);
      replaceSorted(t.sortedByNamespace.get(nsKey), previous, obj);
    } else {
      t.count++;
      t.sorted = undefined;
      t.sortedByNamespace.delete(nsKey);
    }
    const key = `${t.type.group || "core"}/${t.type.plural}`;
    if (previous) this.unindex(key, previous);
    this.index(key, obj);
    this.emit({ type, resource: key, object: obj, rv: this.rv });
    return obj;
  }

  private emit(ev: StoreEvent): void {
    this.history.push(ev);
    if (this.history.length - this.historyStart > this.historySize) {
      this.compactedRv = this.history[this.historyStart]!.rv;
      this.historyStart++;
      // Compact the array in bulk so the ring costs O(1) amortised.
      if (this.historyStart > this.historySize) {
        this.history = this.history.slice(this.historyStart);
        this.historyStart = 0;
      }
    }
    for (const l of this.listeners) {
      try {
        l(ev);
      } catch (err) {
        console.error("store listener failed", err);
      }
    }
  }

  private index(key: string, obj: KubeObject): void {
    const owners = obj.metadata.ownerReferences;
    if (!owners) return;
    const ref = `${key}|${obj.metadata.namespace ?? ""}|${obj.metadata.name}`;
    for (const o of owners) {
      let s = this.dependents.get(o.uid);
      if (!s) this.dependents.set(o.uid, (s = new Set()));
      s.add(ref);
    }
  }

  private unindex(key: string, obj: KubeObject): void {
    const ns = obj.metadata.namespace ?? "";
    for (const o of obj.metadata.ownerReferences ?? []) {
      const s = this.dependents.get(o.uid);
      s?.delete(`${key}|${ns}|${obj.metadata.name}`);
      if (s && s.size === 0) this.dependents.delete(o.uid);
    }
  }

  private dependentsOf(owner: KubeObject): { key: string; namespace: string; name: string }[] {
    const s = owner.metadata.uid ? this.dependents.get(owner.metadata.uid) : undefined;
    if (!s) return [];
    return [...s].map((ref) => {
      const [key, namespace, name] = ref.split("|") as [string, string, string];
      return { key, namespace, name };
    });
  }

  /** The garbage collector runs after the owner's change commits, as the real one does (async). */
  private collectDependents(owner: KubeObject): void {
    const deps = this.dependentsOf(owner);
    if (deps.length === 0) return;
    setImmediate(() => {
      for (const d of deps) {
        const obj = this.get(d.key, d.namespace || undefined, d.name);
        if (!obj || obj.metadata.deletionTimestamp) continue;
        if (!(obj.metadata.ownerReferences ?? []).some((o) => o.uid === owner.metadata.uid)) continue;
        try {
          this.delete(d.key, d.namespace || undefined, d.name, { propagationPolicy: "Background" });
        } catch {
          // Already gone: nothing to collect.
        }
      }
    });
  }

  /** The garbage collector's side of a foreground deletion: drop the finalizer once no blocking dependent is left. */
  private releaseWhenDependentsGone(key: string, owner: KubeObject): void {
    const check = () => {
      const current = this.get(key, owner.metadata.namespace, owner.metadata.name);
      if (!current || current.metadata.uid !== owner.metadata.uid || !current.metadata.finalizers?.includes(FOREGROUND_FINALIZER)) return;
      const blocking = this.dependentsOf(owner).some((d) => {
        const dependent = this.get(d.key, d.namespace || undefined, d.name);
        return dependent?.metadata.ownerReferences?.some((o) => o.uid === owner.metadata.uid && o.blockOwnerDeletion);
      });
      if (blocking) {
        setTimeout(check, 200).unref();
        return;
      }
      this.mutate(key, owner.metadata.namespace, owner.metadata.name, (d) => {
        d.metadata.finalizers = (d.metadata.finalizers ?? []).filter((f) => f !== FOREGROUND_FINALIZER);
        if (d.metadata.finalizers.length === 0) delete d.metadata.finalizers;
      });
    };
    setImmediate(check);
  }

  private orphanDependents(owner: KubeObject): void {
    for (const d of this.dependentsOf(owner)) {
      this.mutate(d.key, d.namespace || undefined, d.name, (draft) => {
        draft.metadata.ownerReferences = (draft.metadata.ownerReferences ?? []).filter((o) => o.uid !== owner.metadata.uid);
        if (draft.metadata.ownerReferences.length === 0) delete draft.metadata.ownerReferences;
      });
    }
  }

  /** Namespaces go Terminating, their content is deleted, then they disappear. */
  private deleteNamespace(ns: KubeObject, now: string): KubeObject {
    const name = ns.metadata.name;
    const marked = this.mutate("core/namespaces", undefined, name, (d) => {
      d.metadata.deletionTimestamp ??= now;
      d.spec = { finalizers: ["kubernetes"] };
      d.status = { ...(d.status ?? {}), phase: "Terminating" };
    });
    const sweep = () => {
      let remaining = 0;
      for (const [key, t] of this.tables) {
        if (!t.type.namespaced) continue;
        for (const obj of [...(t.byNamespace.get(name)?.values() ?? [])]) {
          remaining++;
          if (obj.metadata.deletionTimestamp) continue;
          try {
            this.delete(key, name, obj.metadata.name, { propagationPolicy: "Background" });
          } catch {
            // Removed meanwhile.
          }
        }
      }
      if (remaining === 0) this.remove("core/namespaces", undefined, name);
      else setTimeout(sweep, 500).unref();
    };
    setImmediate(sweep);
    return marked ?? ns;
  }

  /** An object marked for deletion disappears once its finalizers are gone (pods wait for their kubelet). */
  private finishIfReleased(key: string, obj: KubeObject): void {
    if (!obj.metadata.deletionTimestamp || key === "core/pods" || key === "core/namespaces") return;
    if ((obj.metadata.finalizers ?? []).length === 0) this.remove(key, obj.metadata.namespace, obj.metadata.name);
  }

  private generateName(t: ResourceTable, namespace: string | undefined, prefix: string): string {
    for (;;) {
      let suffix = "";
      for (let i = 0; i < 5; i++) suffix += GENERATE_NAME_ALPHABET[Math.floor(Math.random() * GENERATE_NAME_ALPHABET.length)];
      const name = `${prefix}${suffix}`;
      if (!t.byNamespace.get(this.nsKey(t, namespace))?.has(name)) return name;
    }
  }

  private validateMeta(r: ResourceType, obj: KubeObject): void {
    const causes: StatusCause[] = [];
    const name = obj.metadata.name;
    if (!name) {
      causes.push({ reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name" });
    } else {
      const rule =
        r.plural === "namespaces"
          ? {
              re: DNS1123_LABEL,
              max: 63,
              text: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
            }
          : r.plural === "services"
            ? {
                re: DNS1035_LABEL,
                max: 63,
                text: "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
              }
            : {
                re: DNS1123_SUBDOMAIN,
                max: 253,
                text: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
              };
      if (name.length > rule.max)
        causes.push({ reason: "FieldValueInvalid", message: `Invalid value: "${name}": must be no more than ${rule.max} characters`, field: "metadata.name" });
      else if (!rule.re.test(name)) causes.push({ reason: "FieldValueInvalid", message: `Invalid value: "${name}": ${rule.text}`, field: "metadata.name" });
    }
    if (causes.length) throw invalid(r.kind, name ?? "", causes, r.group);
  }
}

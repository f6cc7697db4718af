// Field ownership (server-side apply, KEP 555) in the shape clients read: `metadata.managedFields`
// entries {manager, operation, apiVersion, time, fieldsType: FieldsV1, fieldsV1}. Every write
// through the API records what its manager set; an apply that would change a field another
// manager owns is 409 Conflict (one FieldManagerConflict cause per field) unless `force=true`,
// which takes the field over. Lists of objects with a `name` are keyed by it (`k:{"name":"x"}`),
// other lists are atomic, as for most fields of the built-in kinds.
import { ApiError, invalid } from "../store/api-error";
import type { KubeObject, ResourceType } from "../store/types";
import { mapFieldPaths } from "./field-pruning";

type FieldSet = { [key: string]: FieldSet };

export interface ManagedFieldsEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  /** absent when the manager's only write changed nothing in the object (an apply of values already there) */
  time?: string;
  fieldsType: "FieldsV1";
  fieldsV1: FieldSet;
  subresource?: string;
}

/** ObjectMeta fields the server owns or that name the object: never part of a field set. */
const SERVER_META = new Set([
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "managedFields",
  "selfLink",
]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isKeyedList = (v: unknown[]) => v.length > 0 && v.every((item) => isObject(item) && typeof item.name === "string");

function addFields(value: Record<string, unknown>, set: FieldSet): void {
  for (const [key, child] of Object.entries(value)) {
    if (child === null || child === undefined) continue;
    const node: FieldSet = (set[`f:${key}`] ??= {});
    if (isObject(child)) addFields(child, node);
    else if (Array.isArray(child) && isKeyedList(child)) {
      for (const item of child as Record<string, unknown>[]) {
        const itemNode: FieldSet = (node[`k:${JSON.stringify({ name: item.name })}`] ??= { ".": {} });
        addFields(item, itemNode);
      }
    }
  }
}

/** The fields an object (or an apply configuration) sets. */
export function fieldSetOf(obj: KubeObject, subresource?: string): FieldSet {
  const set: FieldSet = {};
  const { apiVersion: _apiVersion, kind: _kind, metadata, status, ...rest } = obj;
  void _apiVersion;
  void _kind;
  const meta = Object.fromEntries(Object.entries(metadata ?? {}).filter(([key]) => !SERVER_META.has(key)));
  if (subresource === "status") {
    if (isObject(status)) addFields({ status }, set);
    return set;
  }
  addFields({ ...(Object.keys(meta).length ? { metadata: meta } : {}), ...rest }, set);
  return set;
}

/** Leaf paths of a set, as segment lists ("." markers left out). */
function leaves(set: FieldSet, prefix: string[] = [], out: string[][] = []): string[][] {
  for (const [key, child] of Object.entries(set)) {
    if (key === ".") continue;
    const path = [...prefix, key];
    const children = Object.keys(child).filter((k) => k !== ".");
    if (children.length === 0) out.push(path);
    else leaves(child, path, out);
  }
  return out;
}

function valueAt(obj: unknown, path: string[]): unknown {
  let node: unknown = obj;
  for (const segment of path) {
    if (segment.startsWith("f:")) node = isObject(node) ? node[segment.slice(2)] : undefined;
    else if (segment.startsWith("k:")) {
      const key = JSON.parse(segment.slice(2)) as Record<string, unknown>;
      node = Array.isArray(node) ? node.find((item) => isObject(item) && Object.entries(key).every(([k, v]) => item[k] === v)) : undefined;
    }
  }
  return node;
}

function removePath(set: FieldSet, path: string[]): void {
  const [head, ...rest] = path;
  const child = set[head!];
  if (!child) return;
  if (rest.length === 0) delete set[head!];
  else {
    removePath(child, rest);
    if (Object.keys(child).filter((k) => k !== ".").length === 0) delete set[head!];
  }
}

function addPath(set: FieldSet, path: string[]): void {
  let node = set;
  for (const segment of path) node = node[segment] ??= segment.startsWith("k:") ? { ".": {} } : {};
}

/** `.spec.containers[name="app"].image`, as the API server names a conflicting field. */
function pathText(path: string[]): string {
  return path
    .map((segment) => {
      if (segment.startsWith("f:")) return `.${segment.slice(2)}`;
      const key = JSON.parse(segment.slice(2)) as Record<string, unknown>;
      return `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(",")}]`;
    })
    .join("");
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
const cleaned = (entries: ManagedFieldsEntry[]) => entries.filter((e) => leaves(e.fieldsV1).length > 0);

/** The API server's order: Apply entries first, then by time, then by manager. */
function sorted(entries: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  const operationRank = (e: ManagedFieldsEntry) => (e.operation === "Apply" ? 0 : 1);
  return entries.sort((a, b) => operationRank(a) - operationRank(b) || (a.time ?? "").localeCompare(b.time ?? "") || a.manager.localeCompare(b.manager));
}

/** How a conflict names its manager (fieldmanager's printManager): an Update manager with its apiVersion. */
function managerText(entry: ManagedFieldsEntry): string {
  const name = entry.subresource ? `"${entry.manager}" with subresource "${entry.subresource}"` : `"${entry.manager}"`;
  return entry.operation === "Update" ? `${name} using ${entry.apiVersion}` : name;
}

/** The manager of a request: `fieldManager`, else the User-Agent's program name, as the API server derives it. */
export function managerOf(query: URLSearchParams, userAgent: string | undefined): string {
  const given = query.get("fieldManager");
  if (given) return given;
  const program = (userAgent ?? "").split("/")[0]!.trim();
  return program || "unknown";
}

/** `apply` needs a named manager (422 otherwise, as rest.PatchResource answers). */
export function requireApplyManager(query: URLSearchParams): string {
  const manager = query.get("fieldManager");
  if (!manager) {
    throw invalid(
      "PatchOptions",
      "",
      [{ reason: "FieldValueRequired", message: "Required value: is required for apply patch", field: "fieldManager" }],
      "meta.k8s.io",
    );
  }
  return manager;
}

/**
 * managedFields after a create, update or non-apply patch by `manager`: it owns what it changed
 * (everything, on a create), and the others lose those fields.
 */
export function recordUpdate(
  resource: ResourceType,
  previous: KubeObject | undefined,
  next: KubeObject,
  manager: string,
  apiVersion: string,
  subresource?: string,
): ManagedFieldsEntry[] {
  const entries = structuredClone((previous?.metadata.managedFields as ManagedFieldsEntry[] | undefined) ?? []);
  const changed = leaves(fieldSetOf(next, subresource)).filter((path) => !previous || !same(valueAt(previous, path), valueAt(next, path)));
  if (previous && changed.length === 0) return entries;
  for (const entry of entries) for (const path of changed) removePath(entry.fieldsV1, path);
  let own = entries.find((e) => e.manager === manager && e.operation === "Update" && e.subresource === subresource);
  if (!own) {
    own = { manager, operation: "Update", apiVersion, time: now(), fieldsType: "FieldsV1", fieldsV1: {}, ...(subresource ? { subresource } : {}) };
    entries.push(own);
  }
  for (const path of changed) addPath(own.fieldsV1, path);
  // A map this write brought into being is the writer's as a whole (the "." member), not only its keys.
  for (const path of mapFieldPaths(resource, next)) {
    if (path[0] === "f:status" && subresource !== "status") continue;
    if (valueAt(previous, path) === undefined) addPath(own.fieldsV1, [...path, "."]);
  }
  own.time = now();
  return sorted(cleaned(entries));
}

/**
 * managedFields after `manager` applied `config` to `current`, giving `merged`: 409 for the fields
 * another manager owns with a different value, unless forced (then they are taken over).
 */
export function recordApply(
  current: KubeObject | undefined,
  config: KubeObject,
  merged: KubeObject,
  manager: string,
  apiVersion: string,
  force: boolean,
): ManagedFieldsEntry[] {
  const entries = structuredClone((current?.metadata.managedFields as ManagedFieldsEntry[] | undefined) ?? []);
  const applied = fieldSetOf(config);
  const appliedLeaves = leaves(applied);
  const conflicts: { entry: ManagedFieldsEntry; manager: string; path: string[] }[] = [];
  for (const entry of entries) {
    if (entry.manager === manager && entry.operation === "Apply") continue;
    const owned = new Set(leaves(entry.fieldsV1).map((p) => JSON.stringify(p)));
    for (const path of appliedLeaves) {
      if (owned.has(JSON.stringify(path)) && !same(valueAt(current, path), valueAt(merged, path))) conflicts.push({ entry, manager: managerText(entry), path });
    }
  }
  if (conflicts.length > 0 && !force) throw applyConflict(conflicts);
  for (const { entry, path } of conflicts) removePath(entry.fieldsV1, path);
  const previous = entries.find((e) => e.manager === manager && e.operation === "Apply");
  const rest = entries.filter((e) => e !== previous);
  // An apply that changes nothing in the object keeps the manager's time (none, for a new one), as the API server does.
  const withoutManagedFields = (obj: KubeObject | undefined) =>
    obj && { ...obj, metadata: { ...obj.metadata, managedFields: undefined, resourceVersion: undefined } };
  const changed = !current || !same(withoutManagedFields(current), withoutManagedFields(merged));
  const time = changed ? now() : previous?.time;
  return sorted(cleaned([...rest, { manager, operation: "Apply", apiVersion, ...(time ? { time } : {}), fieldsType: "FieldsV1", fieldsV1: applied }]));
}

const keyOf = (path: string[]) => JSON.stringify(path);

/** Every path in `paths` and each of its prefixes, as keys. */
function withPrefixes(paths: string[][]): Set<string> {
  const keys = new Set<string>();
  for (const path of paths) for (let i = 1; i <= path.length; i++) keys.add(keyOf(path.slice(0, i)));
  return keys;
}

/**
 * What an apply by `manager` removes from the object: the fields its previous apply set that
 * `config` leaves out and no other manager owns, each at its shortest such prefix (a list item
 * goes as a whole). Fields another manager shares stay, and are then theirs alone.
 */
export function fieldsReleasedByApply(current: KubeObject, config: KubeObject, manager: string): string[][] {
  const entries = (current.metadata.managedFields as ManagedFieldsEntry[] | undefined) ?? [];
  const previous = entries.find((e) => e.manager === manager && e.operation === "Apply" && !e.subresource);
  if (!previous) return [];
  const kept = withPrefixes(leaves(fieldSetOf(config)));
  const others = withPrefixes(entries.filter((e) => e !== previous && !e.subresource).flatMap((e) => leaves(e.fieldsV1)));
  const released = new Map<string, string[]>();
  for (const path of leaves(previous.fieldsV1)) {
    if (kept.has(keyOf(path))) continue;
    for (let i = 1; i <= path.length; i++) {
      const prefix = path.slice(0, i);
      if (kept.has(keyOf(prefix)) || others.has(keyOf(prefix))) continue;
      released.set(keyOf(prefix), prefix);
      break;
    }
  }
  return [...released.values()];
}

/** Deletes the field (or keyed list item) at `path` from `obj`, if it is there. */
export function removeField(obj: KubeObject, path: string[]): void {
  let node: unknown = obj;
  for (const [i, segment] of path.entries()) {
    const last = i === path.length - 1;
    if (segment.startsWith("f:")) {
      if (!isObject(node)) return;
      if (last) delete node[segment.slice(2)];
      else node = node[segment.slice(2)];
    } else if (segment.startsWith("k:")) {
      if (!Array.isArray(node)) return;
      const key = JSON.parse(segment.slice(2)) as Record<string, unknown>;
      const index = node.findIndex((item) => isObject(item) && Object.entries(key).every(([k, v]) => item[k] === v));
      if (index < 0) return;
      if (last) node.splice(index, 1);
      else node = node[index];
    }
  }
}

function applyConflict(conflicts: { manager: string; path: string[] }[]): ApiError {
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), pathText(c.path)]);
  const parts = [...byManager].map(([manager, paths]) =>
    paths.length === 1 ? `conflict with ${manager}: ${paths[0]}` : `conflicts with ${manager}:\n${paths.map((p) => `- ${p}`).join("\n")}`,
  );
  const message = `Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? "" : "s"}: ${parts.join("\n")}`;
  return new ApiError(409, "Conflict", message, {
    causes: conflicts.map((c) => ({ reason: "FieldManagerConflict", message: `conflict with ${c.manager}`, field: pathText(c.path) })),
  });
}

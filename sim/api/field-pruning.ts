// Unknown fields, as the API server's decoder treats them (fieldValidation, KEP 2885): dropped
// from the object, each named in a `Warning: 299 - "unknown field \"<path>\""` header (Warn, the
// default), refused with 400 under Strict, dropped silently under Ignore. The schema is the one
// @kubernetes/client-node generates from the OpenAPI document (each model's attributeTypeMap).
import * as models from "@kubernetes/client-node";
import { badRequest } from "../store/api-error";
import type { KubeObject, ResourceType } from "../store/types";

interface Attribute {
  baseName: string;
  type: string;
}
type Model = { getAttributeTypeMap?: () => Attribute[] };

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const value = query.get("fieldValidation");
  if (value === null || value === "") return "Warn";
  if (value === "Strict" || value === "Warn" || value === "Ignore") return value;
  throw badRequest(`fieldValidation parameter unsupported: ${value}`);
}

const attributesCache = new Map<string, Map<string, string> | null>();

function attributesOf(typeName: string): Map<string, string> | null {
  let attributes = attributesCache.get(typeName);
  if (attributes === undefined) {
    const model = (models as unknown as Record<string, Model | undefined>)[typeName];
    const map = model?.getAttributeTypeMap?.();
    attributes = map ? new Map(map.map((a) => [a.baseName, a.type])) : null;
    attributesCache.set(typeName, attributes);
  }
  return attributes;
}

const MAP_TYPE = /^\{ \[key: string\]: (.+); \}$/;
const ARRAY_TYPE = /^Array<(.+)>$/;

/**
 * Removes what `type` does not know from `value`, in document order, collecting the paths; paths in
 * `known` (already stored, carried along by a patch or an update) stay and are not reported.
 */
function prune(value: unknown, type: string, path: string, unknown: string[], known: ReadonlySet<string>): void {
  if (value === null || typeof value !== "object") return;
  const array = ARRAY_TYPE.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((item, i) => prune(item, array[1]!, `${path}[${i}]`, unknown, known));
    return;
  }
  const map = MAP_TYPE.exec(type);
  if (map) {
    if (!Array.isArray(value)) for (const [key, item] of Object.entries(value)) prune(item, map[1]!, `${path}.${key}`, unknown, known);
    return;
  }
  // string, number, IntOrString, object (free-form) and the like: nothing below them is checked.
  const attributes = attributesOf(type);
  if (!attributes || Array.isArray(value)) return;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const childType = attributes.get(key);
    const childPath = path ? `${path}.${key}` : key;
    if (childType === undefined) {
      if (known.has(childPath)) continue;
      unknown.push(childPath);
      delete record[key];
    } else prune(record[key], childType, childPath, unknown, known);
  }
}

/**
 * Field paths (managed-fields segments: `f:name`, `k:{"name":"x"}` for a list item with a name)
 * of the map-typed fields an object sets, such as labels, data or resources.requests.
 */
export function mapFieldPaths(resource: ResourceType, obj: unknown): string[][] {
  const out: string[][] = [];
  const walk = (value: unknown, type: string, path: string[]) => {
    if (value === null || typeof value !== "object") return;
    const array = ARRAY_TYPE.exec(type);
    if (array) {
      if (!Array.isArray(value)) return;
      for (const item of value) {
        if (item && typeof item === "object" && typeof (item as { name?: unknown }).name === "string")
          walk(item, array[1]!, [...path, `k:${JSON.stringify({ name: (item as { name: string }).name })}`]);
      }
      return;
    }
    if (MAP_TYPE.test(type)) {
      out.push(path);
      return;
    }
    const attributes = attributesOf(type);
    if (!attributes || Array.isArray(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const childType = attributes.get(key);
      if (childType) walk(child, childType, [...path, `f:${key}`]);
    }
  };
  walk(obj, modelName(resource), []);
  return out;
}

/** The client-node model of a resource's kind: `V1Deployment`, `V1beta1Lease`. */
function modelName(resource: ResourceType): string {
  return `${resource.version.charAt(0).toUpperCase()}${resource.version.slice(1)}${resource.kind}`;
}

/**
 * Drops unknown fields from `body` in place and returns their paths (none for a kind without a
 * model). Unknown fields the stored object `current` already has are left alone: the simulator's
 * own fleet writes some, and a patch carries them along.
 */
export function pruneUnknownFields(resource: ResourceType, body: KubeObject, current?: KubeObject): string[] {
  const name = modelName(resource);
  if (!attributesOf(name)) return [];
  const unknown: string[] = [];
  prune(body, name, "", unknown, current ? storedUnknown(current, name) : new Set());
  return unknown;
}

function storedUnknown(current: KubeObject, name: string): Set<string> {
  const paths: string[] = [];
  prune(structuredClone(current), name, "", paths, new Set());
  return new Set(paths);
}

/** What the decoder does with them under `validation`: throws for Strict, else the Warning header values. */
export function unknownFieldOutcome(resource: ResourceType, unknown: string[], validation: FieldValidation): string[] {
  if (unknown.length === 0 || validation === "Ignore") return [];
  const named = unknown.map((p) => `unknown field "${p}"`);
  if (validation === "Strict") {
    const version = resource.group ? `${resource.group}/${resource.version}` : resource.version;
    throw badRequest(`${resource.kind} in version "${version}" cannot be handled as a ${resource.kind}: strict decoding error: ${named.join(", ")}`);
  }
  return named.map((text) => `299 - ${JSON.stringify(text)}`);
}

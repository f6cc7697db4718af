import fastJsonPatch, { type Operation } from "fast-json-patch";
import { parse as parseYaml } from "yaml";
import { ApiError, badRequest, unsupportedMediaType } from "../store/api-error";

export type PatchType = "json" | "merge" | "strategic" | "apply";

export function patchTypeOf(contentType: string | undefined): PatchType {
  const ct = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  switch (ct) {
    case "application/json-patch+json":
      return "json";
    case "application/merge-patch+json":
      return "merge";
    case "application/strategic-merge-patch+json":
      return "strategic";
    case "application/apply-patch+yaml":
    case "application/apply-patch+cbor":
      return "apply";
    default:
      throw new ApiError(
        415,
        "UnsupportedMediaType",
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      );
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/**
 * Merge keys of the list fields kubectl and the portal patch (from the Go types' patchMergeKey tags).
 * A list not named here is replaced, as strategic merge does for atomic lists.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  volumes: "name",
  env: "name",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  imagePullSecrets: "name",
  conditions: "type",
  ownerReferences: "uid",
  hostAliases: "ip",
  topologySpreadConstraints: "topologyKey",
  resourceClaims: "name",
};

/** Primitive lists that strategic merge treats as sets (patchStrategy: merge without a key). */
const SET_LISTS = new Set(["finalizers"]);

function portKey(path: string[]): string | undefined {
  // Container ports merge on containerPort, Service ports on port.
  return path.includes("containers") || path.includes("initContainers") ? "containerPort" : "port";
}

function mergeList(target: unknown, patch: unknown[], field: string, path: string[]): unknown {
  const key = field === "ports" ? portKey(path) : MERGE_KEYS[field];
  if (SET_LISTS.has(field)) {
    const base = Array.isArray(target) ? [...target] : [];
    for (const v of patch) if (!base.includes(v)) base.push(v);
    return base;
  }
  if (!key || !Array.isArray(target)) {
    return patch.filter((p) => !(isObject(p) && p.$patch)).map((p) => strip(p));
  }
  if (patch.some((p) => isObject(p) && p.$patch === "replace")) return patch.filter((p) => !(isObject(p) && p.$patch === "replace")).map((p) => strip(p));
  const out: unknown[] = [...target];
  for (const item of patch) {
    if (!isObject(item)) continue;
    const idx = out.findIndex((t) => isObject(t) && t[key] === item[key]);
    if (item.$patch === "delete") {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = strategicMerge(out[idx], item, [...path, field]);
    else out.push(strip(item));
  }
  return out;
}

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith("$")) out[k] = strip(x);
  return out;
}

/** Strategic merge patch for the fields kubectl and the portal use; the rest merges as JSON merge patch. */
export function strategicMerge(target: unknown, patch: unknown, path: string[] = []): unknown {
  if (!isObject(patch)) return patch;
  if (patch.$patch === "replace") return strip(patch);
  if (patch.$patch === "delete") return undefined;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith("$")) continue;
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = mergeList(out[k], v, k, path);
    else if (isObject(v)) {
      const merged = strategicMerge(out[k], v, [...path, k]);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else out[k] = v;
  }
  return out;
}

export function parsePatchBody(type: PatchType, body: string): unknown {
  if (type === "apply") {
    try {
      return parseYaml(body);
    } catch (err) {
      throw badRequest(`error decoding YAML: ${(err as Error).message}`);
    }
  }
  try {
    return JSON.parse(body);
  } catch (err) {
    throw badRequest(`error decoding patch: ${(err as Error).message}`);
  }
}

/** Applies a parsed patch document to a (cloned, mutable) object and returns the result. */
export function applyPatch(type: PatchType, target: Record<string, unknown>, patch: unknown): Record<string, unknown> {
  if (type === "json") {
    if (!Array.isArray(patch)) throw badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
    try {
      return fastJsonPatch.applyPatch(target, patch as Operation[], true, true).newDocument;
    } catch (err) {
      const e = err as Error & { name?: string };
      if (e.name === "TEST_OPERATION_FAILED") throw new ApiError(422, "Invalid", "the server rejected our request due to an error in our request");
      throw new ApiError(422, "Invalid", `the server rejected our request due to an error in our request: ${e.message.split("\n")[0]}`);
    }
  }
  if (!isObject(patch))
    throw badRequest(`json: cannot unmarshal ${Array.isArray(patch) ? "array" : typeof patch} into Go value of type map[string]interface {}`);
  if (type === "merge") return mergePatch(target, patch) as Record<string, unknown>;
  return strategicMerge(target, patch) as Record<string, unknown>;
}

export { unsupportedMediaType };

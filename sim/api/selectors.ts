import { badRequest } from "../store/api-error";
import type { KubeObject } from "../store/types";

type Requirement =
  { op: "=" | "!="; key: string; value: string } | { op: "in" | "notin"; key: string; values: Set<string> } | { op: "exists" | "!"; key: string };

export type LabelSelector = (labels: Record<string, string> | undefined) => boolean;

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

/** Splits on commas that are not inside `(...)`. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t.length > 0);
}

function checkKey(key: string): string {
  if (!KEY.test(key) || key.length > 316)
    throw badRequest(
      `unable to parse requirement: invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  return key;
}

function checkValue(value: string): string {
  if (!VALUE.test(value) || value.length > 63)
    throw badRequest(
      `unable to parse requirement: invalid label value: "${value}": at key: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  return value;
}

/** Equality- and set-based label selectors, as labels.Parse accepts them. */
export function parseLabelSelector(selector: string | null | undefined): LabelSelector | undefined {
  if (!selector || !selector.trim()) return undefined;
  const reqs: Requirement[] = splitTerms(selector).map((term) => {
    let m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(term);
    if (m) {
      const values = m[3]!.split(",").map((v) => checkValue(v.trim()));
      return { op: m[2] as "in" | "notin", key: checkKey(m[1]!), values: new Set(values) };
    }
    m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (m) return { op: m[2] === "!=" ? "!=" : "=", key: checkKey(m[1]!), value: checkValue(m[3]!.trim()) };
    m = /^!\s*(\S+)$/.exec(term);
    if (m) return { op: "!", key: checkKey(m[1]!) };
    if (/^\S+$/.test(term)) return { op: "exists", key: checkKey(term) };
    throw badRequest(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`);
  });
  return (labels) => {
    const l = labels ?? {};
    for (const r of reqs) {
      const has = Object.prototype.hasOwnProperty.call(l, r.key);
      const v = l[r.key];
      switch (r.op) {
        case "=":
          if (v !== r.value) return false;
          break;
        case "!=":
          if (has && v === r.value) return false;
          break;
        case "in":
          if (!has || !r.values.has(v!)) return false;
          break;
        case "notin":
          if (has && r.values.has(v!)) return false;
          break;
        case "exists":
          if (!has) return false;
          break;
        case "!":
          if (has) return false;
          break;
      }
    }
    return true;
  };
}

/** Selector-ready label string of a Deployment/ReplicaSet matchLabels (for Scale status and kubectl). */
export function selectorString(
  selector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined,
): string {
  if (!selector) return "";
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === "in" || op === "notin") parts.push(`${e.key} ${op} (${(e.values ?? []).join(",")})`);
    else if (op === "exists") parts.push(e.key);
    else if (op === "doesnotexist") parts.push(`!${e.key}`);
  }
  return parts.join(",");
}

export function matchesLabelSelector(selector: Parameters<typeof selectorString>[0], labels: Record<string, string> | undefined): boolean {
  const s = selectorString(selector);
  if (!s) return false;
  return parseLabelSelector(s)!(labels);
}

/** Field selectors each resource supports (the apiserver rejects any other field with 400). */
const FIELDS: Record<string, (o: KubeObject) => string | undefined> = {
  "metadata.name": (o) => o.metadata.name,
  "metadata.namespace": (o) => o.metadata.namespace ?? "",
};

const EXTRA_FIELDS: Record<string, Record<string, (o: KubeObject) => string | undefined>> = {
  "core/pods": {
    "spec.nodeName": (o) => o.spec?.nodeName ?? "",
    "spec.restartPolicy": (o) => o.spec?.restartPolicy ?? "",
    "spec.schedulerName": (o) => o.spec?.schedulerName ?? "",
    "spec.serviceAccountName": (o) => o.spec?.serviceAccountName ?? "",
    "spec.hostNetwork": (o) => String(o.spec?.hostNetwork ?? false),
    "status.phase": (o) => o.status?.phase ?? "",
    "status.podIP": (o) => o.status?.podIP ?? "",
    "status.nominatedNodeName": (o) => o.status?.nominatedNodeName ?? "",
  },
  "core/events": {
    "involvedObject.kind": (o) => o.involvedObject?.kind ?? "",
    "involvedObject.namespace": (o) => o.involvedObject?.namespace ?? "",
    "involvedObject.name": (o) => o.involvedObject?.name ?? "",
    "involvedObject.uid": (o) => o.involvedObject?.uid ?? "",
    "involvedObject.apiVersion": (o) => o.involvedObject?.apiVersion ?? "",
    "involvedObject.resourceVersion": (o) => o.involvedObject?.resourceVersion ?? "",
    "involvedObject.fieldPath": (o) => o.involvedObject?.fieldPath ?? "",
    reason: (o) => o.reason ?? "",
    reportingComponent: (o) => o.reportingComponent ?? "",
    source: (o) => o.source?.component ?? "",
    type: (o) => o.type ?? "",
  },
  "core/namespaces": { "status.phase": (o) => o.status?.phase ?? "" },
  "core/nodes": { "spec.unschedulable": (o) => String(o.spec?.unschedulable ?? false) },
  "core/persistentvolumeclaims": {},
  "batch/jobs": { "status.successful": (o) => String(o.status?.succeeded ?? 0) },
  "apps/replicasets": { "status.replicas": (o) => String(o.status?.replicas ?? 0) },
};

export type FieldSelector = (obj: KubeObject) => boolean;

export function parseFieldSelector(selector: string | null | undefined, resourceKey: string): FieldSelector | undefined {
  if (!selector || !selector.trim()) return undefined;
  const fields = { ...FIELDS, ...(EXTRA_FIELDS[resourceKey] ?? {}) };
  const reqs = splitTerms(selector).map((term) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const get = fields[m[1]!.trim()];
    if (!get) throw badRequest(`field label not supported: ${m[1]!.trim()}`);
    return { get, neg: m[2] === "!=", value: m[3]!.trim() };
  });
  return (obj) => reqs.every((r) => (r.get(obj) === r.value) !== r.neg);
}

// Small pieces of Kubernetes semantics shared by the fleet generator and the controllers.
import type { KubeObject, OwnerReference } from "../store/types";
import { safeEncode, stableHash } from "../fleet/prng";

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };
const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, m: 1e-3 };

/** Quantity ("512Mi", "1G", "1500m") as a plain number of base units. */
export function parseQuantity(value: string | number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === "number") return value;
  const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(value.trim());
  if (!match) return 0;
  const n = Number(match[1]);
  const unit = match[2];
  if (!unit) return n;
  if (unit in BINARY) return n * BINARY[unit];
  if (unit in DECIMAL) return n * DECIMAL[unit];
  return n;
}

export const cpuMillis = (value: string | number | undefined) => Math.round(parseQuantity(value) * 1000);

export function formatGi(bytes: number): string {
  const gi = bytes / 2 ** 30;
  return Number.isInteger(gi) ? `${gi}Gi` : `${Math.round(bytes / 2 ** 20)}Mi`;
}

export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
}

/** pod-template-hash: same template, same hash (the real controller also hashes the template). */
export function templateHash(template: unknown): string {
  const text = stableStringify(template);
  return safeEncode(stableHash(text), 5) + safeEncode(stableHash(`${text}#`), 5);
}

export function ownerRef(owner: KubeObject, controller = true): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? "",
    controller,
    blockOwnerDeletion: true,
  };
}

export function isOwnedBy(obj: KubeObject, owner: KubeObject): boolean {
  return (obj.metadata.ownerReferences ?? []).some((ref) => ref.uid === owner.metadata.uid && ref.controller);
}

export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((ref) => ref.controller);
}

export const isoNow = (clock: () => number = Date.now) => new Date(clock()).toISOString().replace(/\.\d{3}Z$/, "Z");
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastProbeTime?: string | null;
  [key: string]: unknown;
}

/** Sets a condition keeping lastTransitionTime when the status did not flip, as controllers do. */
export function setCondition(conditions: Condition[], next: Condition, now: string, withUpdateTime = false): Condition[] {
  const existing = conditions.find((c) => c.type === next.type);
  const merged: Condition = { ...next };
  const changed = !existing || existing.status !== next.status;
  merged.lastTransitionTime = changed ? now : existing.lastTransitionTime;
  if (withUpdateTime) {
    merged.lastUpdateTime = !existing || changed || existing.reason !== next.reason || existing.message !== next.message ? now : existing.lastUpdateTime;
  }
  if ("lastProbeTime" in next || (existing && "lastProbeTime" in existing)) merged.lastProbeTime = next.lastProbeTime ?? null;
  const out = conditions.filter((c) => c.type !== next.type);
  const index = conditions.findIndex((c) => c.type === next.type);
  if (index < 0) out.push(merged);
  else out.splice(index, 0, merged);
  return out;
}

export const podKey = (namespace: string | undefined, name: string) => `${namespace ?? ""}/${name}`;

export function isPodTerminal(pod: KubeObject): boolean {
  return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
}

export function isPodReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some((c: Condition) => c.type === "Ready" && c.status === "True");
}

export function podRequests(pod: KubeObject): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of pod.spec?.containers ?? []) {
    cpu += cpuMillis(c.resources?.requests?.cpu);
    memory += parseQuantity(c.resources?.requests?.memory);
  }
  return { cpu, memory };
}

export function matchesSelector(labels: Record<string, string> | undefined, selector: { matchLabels?: Record<string, string> } | undefined): boolean {
  if (!selector?.matchLabels) return false;
  return Object.entries(selector.matchLabels).every(([k, v]) => labels?.[k] === v);
}

/** Deterministic container / image ids: stable per input text, shaped like containerd's. */
export function sha256Like(text: string): string {
  let out = "";
  for (let i = 0; out.length < 64; i++) out += (stableHash(`${text}:${i}`) >>> 0).toString(16).padStart(8, "0");
  return out.slice(0, 64);
}

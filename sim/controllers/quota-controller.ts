// resourcequota-controller: recomputes status.used of each namespace's quotas from its pods
// and claims (batched per namespace, so a busy namespace costs one recompute per tick).
import { forbidden, type ApiError } from "../store/api-error";
import type { ObjectStore } from "../store/object-store";
import type { KubeObject, StoreEvent } from "../store/types";
import { cpuMillis, isPodTerminal, parseQuantity } from "./kube-util";
import { QueuedController } from "./queued-controller";

function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ["Gi", 2 ** 30],
    ["Mi", 2 ** 20],
    ["Ki", 2 ** 10],
  ] as const)
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  return String(bytes);
}

/** What one pod adds to each tracked resource, in base units (cpu in millicores). */
function podUsage(pod: KubeObject): Record<string, number> {
  let reqCpu = 0,
    reqMem = 0,
    limCpu = 0,
    limMem = 0;
  for (const c of pod.spec?.containers ?? []) {
    reqCpu += cpuMillis(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu);
    reqMem += parseQuantity(c.resources?.requests?.memory ?? c.resources?.limits?.memory);
    limCpu += cpuMillis(c.resources?.limits?.cpu);
    limMem += parseQuantity(c.resources?.limits?.memory);
  }
  return {
    pods: 1,
    "count/pods": 1,
    "requests.cpu": reqCpu,
    cpu: reqCpu,
    "limits.cpu": limCpu,
    "requests.memory": reqMem,
    memory: reqMem,
    "limits.memory": limMem,
  };
}

const isCpu = (key: string) => key === "cpu" || key.endsWith(".cpu");
const amountOf = (key: string, value: string | undefined) => (isCpu(key) ? cpuMillis(value) : parseQuantity(value));
const formatAmount = (key: string, n: number) => (isCpu(key) ? formatCpu(n) : key === "pods" || key.startsWith("count/") ? String(n) : formatBytes(n));

/**
 * The ResourceQuota admission plugin for a pod create (also on dry-run): the first quota the pod
 * would exceed, as the 403 Forbidden kube-apiserver answers ("exceeded quota: <name>, requested:
 * pods=1, used: pods=2, limited: pods=2", resources sorted and comma-joined). Usage is counted
 * live rather than read from status.used, which the quota controller may not have caught up on.
 */
export function podQuotaError(store: ObjectStore, pod: KubeObject): ApiError | undefined {
  const ns = pod.metadata.namespace;
  if (!ns) return undefined;
  const quotas = store.list("core/resourcequotas", ns);
  if (!quotas.length) return undefined;
  const requested = podUsage(pod);
  for (const q of quotas) {
    const hard: Record<string, string> = q.spec?.hard ?? {};
    const used = quotaStatus(store, ns, hard).used;
    const exceeded = Object.keys(hard)
      .filter((k) => (requested[k] ?? 0) > 0 && amountOf(k, used[k]) + requested[k]! > amountOf(k, hard[k]))
      .sort();
    if (!exceeded.length) continue;
    const list = (value: (k: string) => string) => exceeded.map((k) => `${k}=${value(k)}`).join(",");
    return forbidden(
      "pods",
      pod.metadata.name || pod.metadata.generateName || "",
      `exceeded quota: ${q.metadata.name}, requested: ${list((k) => formatAmount(k, requested[k]!))}, used: ${list((k) => used[k] ?? "0")}, limited: ${list((k) => hard[k]!)}`,
    );
  }
  return undefined;
}

/** status of a quota with `hard` limits in namespace `ns`, from the pods and claims there now. */
export function quotaStatus(store: ObjectStore, ns: string, hard: Record<string, string>): { hard: Record<string, string>; used: Record<string, string> } {
  const pods = store.list("core/pods", ns).filter((p) => !isPodTerminal(p));
  const pvcs = store.list("core/persistentvolumeclaims", ns);
  let reqCpu = 0,
    reqMem = 0,
    limCpu = 0,
    limMem = 0;
  for (const p of pods) {
    for (const c of p.spec?.containers ?? []) {
      reqCpu += cpuMillis(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu);
      reqMem += parseQuantity(c.resources?.requests?.memory ?? c.resources?.limits?.memory);
      limCpu += cpuMillis(c.resources?.limits?.cpu);
      limMem += parseQuantity(c.resources?.limits?.memory);
    }
  }
  const storage = pvcs.reduce((s, c) => s + parseQuantity(c.spec?.resources?.requests?.storage), 0);
  const values: Record<string, string> = {
    "requests.cpu": formatCpu(reqCpu),
    "requests.memory": formatBytes(reqMem),
    "limits.cpu": formatCpu(limCpu),
    "limits.memory": formatBytes(limMem),
    pods: String(pods.length),
    "count/pods": String(pods.length),
    persistentvolumeclaims: String(pvcs.length),
    "requests.storage": formatBytes(storage),
    cpu: formatCpu(reqCpu),
    memory: formatBytes(reqMem),
  };
  const used: Record<string, string> = {};
  for (const k of Object.keys(hard)) used[k] = values[k] ?? "0";
  return { hard: { ...hard }, used };
}

export class QuotaController extends QueuedController {
  syncAll(): void {
    for (const q of this.ctx.store.list("core/resourcequotas")) this.sync(q.metadata.namespace!);
  }

  protected onEvent(ev: StoreEvent): void {
    if (ev.resource === "core/pods" || ev.resource === "core/persistentvolumeclaims" || (ev.resource === "core/resourcequotas" && ev.type === "ADDED")) {
      const ns = ev.object.metadata.namespace;
      if (ns && (ev.resource !== "core/pods" || ev.type !== "MODIFIED" || isPodTerminal(ev.object))) this.queue.add(ns);
    }
  }

  sync(ns: string): void {
    const quotas = this.ctx.store.list("core/resourcequotas", ns);
    if (!quotas.length) return;
    for (const q of quotas) {
      const status = quotaStatus(this.ctx.store, ns, q.spec?.hard ?? {});
      this.ctx.store.mutate("core/resourcequotas", ns, q.metadata.name, (d) => void (d.status = status));
    }
  }
}

// default-scheduler: binds pending pods to a Ready node with room for their requests, and
// explains itself with FailedScheduling events when none fits.
import type { ITaint } from "kubernetes-models/v1";
import type { KubeObject, StoreEvent } from "../store/types";
import type { SimContext } from "./context";
import { cpuMillis, isPodTerminal, parseQuantity, podKey, podRequests, type Condition } from "./kube-util";
import { WorkQueue } from "./work-queue";

interface Placement {
  node: string;
  cpu: number;
  memory: number;
}

export class Scheduler {
  private placements = new Map<string, Placement>();
  private usage = new Map<string, { cpu: number; memory: number; pods: number }>();
  private queue: WorkQueue;
  private unsubscribe?: () => void;
  private retryArmed = false;
  private retrying = new Set<string>();

  constructor(private readonly ctx: SimContext) {
    this.queue = new WorkQueue((key) => this.schedule(key));
  }

  start(): void {
    for (const pod of this.ctx.store.list("core/pods")) this.account(pod);
    this.unsubscribe = this.ctx.store.on((ev) => this.onEvent(ev));
    for (const pod of this.ctx.store.list("core/pods")) if (this.wantsScheduling(pod)) this.queue.add(podKey(pod.metadata.namespace, pod.metadata.name));
  }

  stop(): void {
    this.unsubscribe?.();
    this.queue.stop();
  }

  /** Requested cpu (millicores) / memory (bytes) per node, for metrics and tests. */
  usageOf(node: string) {
    return this.usage.get(node) ?? { cpu: 0, memory: 0, pods: 0 };
  }

  /** Re-evaluates every pending pod (nodes changed, a PVC bound...). */
  retryAll(): void {
    for (const pod of this.ctx.store.list("core/pods")) if (this.wantsScheduling(pod)) this.queue.add(podKey(pod.metadata.namespace, pod.metadata.name));
  }

  private wantsScheduling(pod: KubeObject): boolean {
    return !pod.spec?.nodeName && !pod.metadata.deletionTimestamp && !isPodTerminal(pod);
  }

  private onEvent(ev: StoreEvent): void {
    if (ev.resource === "core/pods") {
      if (ev.type === "DELETED") this.unaccount(podKey(ev.object.metadata.namespace, ev.object.metadata.name));
      else {
        this.account(ev.object);
        if (this.wantsScheduling(ev.object) && ev.type === "ADDED") this.queue.add(podKey(ev.object.metadata.namespace, ev.object.metadata.name));
      }
    } else if (ev.resource === "core/persistentvolumeclaims" && ev.object.status?.phase === "Bound") {
      for (const pod of this.ctx.store.list("core/pods", ev.object.metadata.namespace))
        if (this.wantsScheduling(pod)) this.queue.add(podKey(pod.metadata.namespace, pod.metadata.name));
    } else if (ev.resource === "core/nodes" && ev.type !== "DELETED") {
      this.retrySoon();
    }
  }

  private retrySoon(): void {
    if (this.retryArmed) return;
    this.retryArmed = true;
    this.ctx.timers.after(200, () => {
      this.retryArmed = false;
      this.retryAll();
    });
  }

  private account(pod: KubeObject): void {
    const key = podKey(pod.metadata.namespace, pod.metadata.name);
    const node = pod.spec?.nodeName;
    if (!node || isPodTerminal(pod)) {
      this.unaccount(key);
      return;
    }
    const prev = this.placements.get(key);
    if (prev && prev.node === node) return;
    if (prev) this.unaccount(key);
    const req = podRequests(pod);
    this.placements.set(key, { node, cpu: req.cpu, memory: req.memory });
    const u = this.usage.get(node) ?? { cpu: 0, memory: 0, pods: 0 };
    u.cpu += req.cpu;
    u.memory += req.memory;
    u.pods += 1;
    this.usage.set(node, u);
  }

  private unaccount(key: string): void {
    const prev = this.placements.get(key);
    if (!prev) return;
    this.placements.delete(key);
    const u = this.usage.get(prev.node);
    if (u) {
      u.cpu -= prev.cpu;
      u.memory -= prev.memory;
      u.pods -= 1;
    }
  }

  private fail(pod: KubeObject, message: string): void {
    const now = new Date(this.ctx.clock()).toISOString().replace(/\.\d{3}Z$/, "Z");
    const stored = this.ctx.store.mutate("core/pods", pod.metadata.namespace, pod.metadata.name, (d) => {
      const conditions = (d.status?.conditions ?? []).filter((c: Condition) => c.type !== "PodScheduled");
      const prior = (d.status?.conditions ?? []).find((c: Condition) => c.type === "PodScheduled");
      conditions.push({
        type: "PodScheduled",
        status: "False",
        lastProbeTime: null,
        lastTransitionTime: prior?.status === "False" ? prior.lastTransitionTime : now,
        reason: "Unschedulable",
        message,
      });
      d.status = { ...(d.status ?? {}), phase: "Pending", conditions };
    });
    this.ctx.events.record(stored ?? pod, "Warning", "FailedScheduling", message, { component: "default-scheduler" });
    // The real scheduler retries unschedulable pods periodically (and on cluster changes).
    const key = podKey(pod.metadata.namespace, pod.metadata.name);
    if (this.retrying.has(key)) return;
    this.retrying.add(key);
    this.ctx.timers.after(30_000 * Math.max(0.1, this.ctx.speed.lifecycle), () => {
      this.retrying.delete(key);
      this.queue.add(key);
    });
  }

  private schedule(key: string): void {
    const i = key.indexOf("/");
    const pod = this.ctx.store.get("core/pods", key.slice(0, i), key.slice(i + 1));
    if (!pod || !this.wantsScheduling(pod)) return;
    const nodes = this.ctx.store.list("core/nodes");
    const n = nodes.length;
    const preemption = `preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;
    for (const v of pod.spec?.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName;
      if (!claim) continue;
      const pvc = this.ctx.store.get("core/persistentvolumeclaims", pod.metadata.namespace, claim);
      if (!pvc) return this.fail(pod, `0/${n} nodes are available: persistentvolumeclaim "${claim}" not found. ${preemption}`);
      if (pvc.status?.phase !== "Bound") return this.fail(pod, `0/${n} nodes are available: pod has unbound immediate PersistentVolumeClaims. ${preemption}`);
    }
    const req = podRequests(pod);
    const reasons = new Map<string, number>();
    const bump = (r: string) => reasons.set(r, (reasons.get(r) ?? 0) + 1);
    let best: { name: string; score: number } | undefined;
    for (const node of nodes) {
      const name = node.metadata.name;
      const ready = (node.status?.conditions ?? []).some((c: Condition) => c.type === "Ready" && c.status === "True");
      const taint = (node.spec?.taints ?? []).find((t: ITaint) => t.effect === "NoSchedule" || t.effect === "NoExecute");
      if (node.spec?.unschedulable) {
        bump("node(s) were unschedulable");
        continue;
      }
      if (taint) {
        bump(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`);
        continue;
      }
      if (!ready) {
        bump("node(s) were not ready");
        continue;
      }
      const alloc = node.status?.allocatable ?? {};
      const used = this.usageOf(name);
      const cpuFree = cpuMillis(alloc.cpu) - used.cpu;
      const memFree = parseQuantity(alloc.memory) - used.memory;
      let fits = true;
      if (req.cpu > cpuFree) {
        bump("Insufficient cpu");
        fits = false;
      }
      if (req.memory > memFree) {
        bump("Insufficient memory");
        fits = false;
      }
      if (used.pods + 1 > Number(alloc.pods ?? 110)) {
        bump("Too many pods");
        fits = false;
      }
      if (!fits) continue;
      // LeastAllocated: prefer the emptiest node.
      const score = memFree / Math.max(1, parseQuantity(alloc.memory)) + cpuFree / Math.max(1, cpuMillis(alloc.cpu));
      if (!best || score > best.score) best = { name, score };
    }
    if (!best) {
      const parts = [...reasons.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([r, c]) => `${c} ${r}`);
      const insufficient = [...reasons.keys()].some((r) => r.startsWith("Insufficient") || r === "Too many pods");
      const tail = insufficient ? `preemption: 0/${n} nodes are available: ${n} No preemption victims found for incoming pod.` : preemption;
      return this.fail(pod, `0/${n} nodes are available: ${parts.join(", ")}. ${tail}`);
    }
    this.bind(pod, best.name);
  }

  private bind(pod: KubeObject, node: string): void {
    const now = new Date(this.ctx.clock()).toISOString().replace(/\.\d{3}Z$/, "Z");
    const bound = this.ctx.store.mutate("core/pods", pod.metadata.namespace, pod.metadata.name, (d) => {
      d.spec.nodeName = node;
      const conditions = (d.status?.conditions ?? []).filter((c: Condition) => c.type !== "PodScheduled");
      conditions.push({ type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: now });
      d.status = { ...(d.status ?? {}), phase: "Pending", conditions, qosClass: d.status?.qosClass };
      if (!d.status.qosClass) delete d.status.qosClass;
    });
    if (!bound) return;
    this.account(bound);
    this.ctx.events.record(bound, "Normal", "Scheduled", `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`, {
      component: "default-scheduler",
    });
  }
}

// node-lifecycle-controller + taint-eviction: a node whose kubelet stops reporting goes
// Unknown/unreachable, its pods turn NotReady and are evicted after the toleration (300s,
// scaled); when it comes back the taints go and its kubelet finishes pending work.
import type { SimContext } from "./context";
import { nodeConditions } from "../fleet/manifests";
import { iso, type Condition } from "./kube-util";
import type { Kubelet } from "./kubelet";
import type { TimerHandle } from "./timer-queue";

export class NodeLifecycle {
  private evictions = new Map<string, TimerHandle>();

  constructor(
    private readonly ctx: SimContext,
    private readonly kubelet: Kubelet,
  ) {}

  down(name: string): boolean {
    const node = this.ctx.store.get("core/nodes", undefined, name);
    if (!node) return false;
    this.ctx.downNodes.add(name);
    this.kubelet.pauseNode(name);
    const now = iso(this.ctx.clock());
    this.ctx.store.mutate("core/nodes", undefined, name, (d) => {
      d.status.conditions = nodeConditions(false, now).map((c) => ({
        ...c,
        lastHeartbeatTime: (d.status.conditions ?? []).find((x: Condition) => x.type === c.type)?.lastHeartbeatTime ?? now,
      }));
      d.spec.taints = [
        { key: "node.kubernetes.io/unreachable", effect: "NoSchedule", timeAdded: now },
        { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: now },
      ];
    });
    this.ctx.events.record(node, "Normal", "NodeNotReady", `Node ${name} status is now: NodeNotReady`, { component: "node-controller" });
    for (const pod of this.ctx.store.list("core/pods")) {
      if (pod.spec?.nodeName !== name || pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") continue;
      this.ctx.store.mutate("core/pods", pod.metadata.namespace, pod.metadata.name, (d) => {
        d.status.conditions = (d.status.conditions ?? []).map((c: Condition) =>
          c.type === "Ready" ? { ...c, status: "False", lastTransitionTime: now, reason: undefined, message: undefined } : c,
        );
        for (const c of d.status.conditions) {
          if (c.reason === undefined) delete c.reason;
          if (c.message === undefined) delete c.message;
        }
      });
      this.ctx.events.record(pod, "Warning", "NodeNotReady", "Node is not ready", { component: "node-controller" });
    }
    this.evictions.set(
      name,
      this.ctx.timers.after(300_000 * this.ctx.speed.slow, () => {
        for (const pod of this.ctx.store.list("core/pods")) {
          if (pod.spec?.nodeName !== name || pod.metadata.deletionTimestamp || pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") continue;
          this.ctx.events.record(pod, "Normal", "TaintManagerEviction", `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`, {
            component: "taint-eviction-controller",
          });
          try {
            this.ctx.store.delete("core/pods", pod.metadata.namespace, pod.metadata.name);
          } catch {
            // Gone meanwhile.
          }
        }
      }),
    );
    return true;
  }

  up(name: string): boolean {
    const node = this.ctx.store.get("core/nodes", undefined, name);
    if (!node) return false;
    this.ctx.downNodes.delete(name);
    this.evictions.get(name)?.cancel();
    this.evictions.delete(name);
    const now = iso(this.ctx.clock());
    this.ctx.store.mutate("core/nodes", undefined, name, (d) => {
      d.status.conditions = nodeConditions(true, now);
      delete d.spec.taints;
    });
    this.ctx.events.record(node, "Normal", "NodeReady", `Node ${name} status is now: NodeReady`, { component: "kubelet", host: name });
    this.kubelet.resyncNode(name);
    return true;
  }
}

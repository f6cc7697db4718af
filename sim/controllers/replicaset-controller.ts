// ReplicaSet controller: keeps spec.replicas pods alive and reports their readiness.
import { randomSuffix } from "../fleet/prng";
import type { KubeObject, StoreEvent } from "../store/types";
import { controllerOf, isOwnedBy, isPodReady, isPodTerminal } from "./kube-util";
import { splitKey } from "./work-queue";
import { podFor } from "./workloads";
import { QueuedController } from "./queued-controller";

export class ReplicaSetController extends QueuedController {
  protected onEvent(ev: StoreEvent): void {
    if (ev.resource === "apps/replicasets" && ev.type !== "DELETED") {
      this.queue.add(`${ev.object.metadata.namespace}/${ev.object.metadata.name}`);
    } else if (ev.resource === "core/pods") {
      const owner = controllerOf(ev.object);
      if (owner?.kind === "ReplicaSet") this.queue.add(`${ev.object.metadata.namespace}/${owner.name}`);
    }
  }

  protected sync(key: string): void {
    const [ns, name] = splitKey(key);
    const rs = this.ctx.store.get("apps/replicasets", ns, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const pods = this.ctx.store.list("core/pods", ns).filter((p) => isOwnedBy(p, rs));
    const active = pods.filter((p) => !p.metadata.deletionTimestamp && !isPodTerminal(p));
    const want = rs.spec.replicas ?? 1;
    if (active.length < want) {
      for (let i = active.length; i < want; i++) this.createPod(rs);
    } else if (active.length > want) {
      // Delete the least useful first: unscheduled, then not ready, then the youngest.
      const rank = (p: KubeObject) => (p.spec?.nodeName ? 1 : 0) * 2 + (isPodReady(p) ? 1 : 0);
      const victims = [...active]
        .sort((a, b) => rank(a) - rank(b) || (b.metadata.creationTimestamp ?? "").localeCompare(a.metadata.creationTimestamp ?? ""))
        .slice(0, active.length - want);
      for (const pod of victims) {
        try {
          this.ctx.store.delete("core/pods", ns, pod.metadata.name);
          this.ctx.events.record(rs, "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata.name}`, { component: "replicaset-controller" });
        } catch {
          // Already gone.
        }
      }
    }
    const current = this.ctx.store.list("core/pods", ns).filter((p) => isOwnedBy(p, rs) && !p.metadata.deletionTimestamp && !isPodTerminal(p));
    const ready = current.filter(isPodReady).length;
    const terminating = this.ctx.store.list("core/pods", ns).filter((p) => isOwnedBy(p, rs) && p.metadata.deletionTimestamp).length;
    this.ctx.store.mutate("apps/replicasets", ns, name, (d) => {
      d.status = {
        replicas: current.length,
        fullyLabeledReplicas: current.length,
        readyReplicas: ready,
        availableReplicas: ready,
        ...(terminating ? { terminatingReplicas: terminating } : {}),
        observedGeneration: d.metadata.generation ?? 1,
      };
      if (!ready) {
        delete d.status.readyReplicas;
        delete d.status.availableReplicas;
      }
      if (!current.length) delete d.status.fullyLabeledReplicas;
    });
  }

  private createPod(rs: KubeObject): void {
    for (let attempt = 0; attempt < 5; attempt++) {
      const name = `${rs.metadata.name}-${randomSuffix(this.ctx.rng)}`;
      if (this.ctx.store.get("core/pods", rs.metadata.namespace, name)) continue;
      try {
        this.ctx.store.create("core/pods", podFor(rs, rs.spec.template, name));
        this.ctx.events.record(rs, "Normal", "SuccessfulCreate", `Created pod: ${name}`, { component: "replicaset-controller" });
      } catch (err) {
        this.ctx.events.record(rs, "Warning", "FailedCreate", `Error creating: ${err instanceof Error ? err.message : String(err)}`, {
          component: "replicaset-controller",
        });
      }
      return;
    }
  }
}

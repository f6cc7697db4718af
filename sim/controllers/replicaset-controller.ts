// ReplicaSet controller: keeps spec.replicas pods alive and reports their readiness.
import { randomSuffix } from "../fleet/prng";
import type { KubeObject, StoreEvent } from "../store/types";
import { controllerOf, isOwnedBy, isPodReady, isPodTerminal, iso, setCondition, type Condition } from "./kube-util";
import { podQuotaError } from "./quota-controller";
import { splitKey } from "./work-queue";
import { podFor } from "./workloads";
import { QueuedController } from "./queued-controller";

export class ReplicaSetController extends QueuedController {
  /** key -> back-off after a failed create (the real controller requeues with rate limiting) */
  private backoff = new Map<string, { until: number; delay: number }>();

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
    let createError: string | undefined;
    const failure = (rs.status?.conditions ?? []).find((c: Condition) => c.type === "ReplicaFailure");
    const backoff = this.backoff.get(key);
    if (active.length < want && backoff && this.ctx.clock() < backoff.until) {
      // Still backing off: our own status write must not turn into a tight retry loop.
      createError = failure?.message;
    } else if (active.length < want) {
      for (let i = active.length; i < want && !createError; i++) createError = this.createPod(rs);
      if (createError) {
        const delay = Math.min(60_000, backoff ? backoff.delay * 2 : 2000);
        const wait = delay * this.ctx.speed.lifecycle;
        this.backoff.set(key, { until: this.ctx.clock() + wait, delay });
        this.ctx.timers.after(wait + 1, () => this.queue.add(key));
      } else this.backoff.delete(key);
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
      // ReplicaFailure stays while creates fail and goes with the first sync that needs none or succeeds.
      const previous: Condition[] = rs.status?.conditions ?? [];
      const conditions = createError
        ? setCondition(previous, { type: "ReplicaFailure", status: "True", reason: "FailedCreate", message: createError }, iso(this.ctx.clock()))
        : previous.filter((c) => c.type !== "ReplicaFailure");
      if (conditions.length) d.status.conditions = conditions;
    });
  }

  /** Creates one pod through the same admission an API create meets; returns the error message on failure. */
  private createPod(rs: KubeObject): string | undefined {
    for (let attempt = 0; attempt < 5; attempt++) {
      const name = `${rs.metadata.name}-${randomSuffix(this.ctx.rng)}`;
      if (this.ctx.store.get("core/pods", rs.metadata.namespace, name)) continue;
      try {
        const pod = podFor(rs, rs.spec.template, name);
        const quotaError = podQuotaError(this.ctx.store, pod);
        if (quotaError) throw quotaError;
        this.ctx.store.create("core/pods", pod);
        this.ctx.events.record(rs, "Normal", "SuccessfulCreate", `Created pod: ${name}`, { component: "replicaset-controller" });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.ctx.events.record(rs, "Warning", "FailedCreate", `Error creating: ${message}`, {
          component: "replicaset-controller",
        });
        return message;
      }
      return undefined;
    }
    return undefined;
  }
}

// Deployment controller: one ReplicaSet per pod template, rolling updates within maxSurge /
// maxUnavailable, scaling, revision history and the status kubectl rollout status reads.
import type { KubeObject, StoreEvent } from "../store/types";
import { controllerOf, isOwnedBy, iso, setCondition, type Condition } from "./kube-util";
import { splitKey } from "./work-queue";
import { deploymentTemplateHash, replicaSetFor } from "./workloads";
import { QueuedController } from "./queued-controller";

function resolveIntOrPercent(value: string | number | undefined, total: number, roundUp: boolean, fallback: string): number {
  const v = value ?? fallback;
  if (typeof v === "number") return v;
  if (v.endsWith("%")) {
    const raw = (Number(v.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(raw) : Math.floor(raw);
  }
  return Number(v);
}

const revisionOf = (rs: KubeObject) => Number(rs.metadata.annotations?.["deployment.kubernetes.io/revision"] ?? 0);

export class DeploymentController extends QueuedController {
  protected onEvent(ev: StoreEvent): void {
    if (ev.resource === "apps/deployments" && ev.type !== "DELETED") {
      // Our own status writes need no reconcile.
      if (this.writing) return;
      this.queue.add(`${ev.object.metadata.namespace}/${ev.object.metadata.name}`);
    } else if (ev.resource === "apps/replicasets") {
      const owner = controllerOf(ev.object);
      if (owner?.kind === "Deployment") this.queue.add(`${ev.object.metadata.namespace}/${owner.name}`);
    }
  }

  private writing = false;

  protected sync(key: string): void {
    const [ns, name] = splitKey(key);
    const d = this.ctx.store.get("apps/deployments", ns, name);
    if (!d || d.metadata.deletionTimestamp) return;
    const all = this.ctx.store.list("apps/replicasets", ns).filter((rs) => isOwnedBy(rs, d));
    const hash = deploymentTemplateHash(d);
    const replicas = d.spec.replicas ?? 1;
    let newRS = all.find((rs) => rs.metadata.labels?.["pod-template-hash"] === hash);
    const maxRevision = all.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
    const olds = () =>
      this.ctx.store.list("apps/replicasets", ns).filter((rs) => isOwnedBy(rs, d) && rs !== newRS && rs.metadata.labels?.["pod-template-hash"] !== hash);

    if (d.spec.paused) return this.writeStatus(d, newRS, olds());

    const recreate = d.spec.strategy?.type === "Recreate";
    const maxSurge = recreate ? 0 : resolveIntOrPercent(d.spec.strategy?.rollingUpdate?.maxSurge, replicas, true, "25%");
    let maxUnavailable = recreate ? replicas : resolveIntOrPercent(d.spec.strategy?.rollingUpdate?.maxUnavailable, replicas, false, "25%");
    if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;

    if (!newRS) {
      const oldTotal = olds().reduce((s, rs) => s + (rs.spec.replicas ?? 0), 0);
      const initial = recreate ? (oldTotal > 0 ? 0 : replicas) : all.length === 0 ? replicas : Math.max(0, Math.min(replicas, replicas + maxSurge - oldTotal));
      try {
        newRS = this.ctx.store.create("apps/replicasets", replicaSetFor(d, hash, initial, maxRevision + 1));
        this.ctx.events.record(d, "Normal", "ScalingReplicaSet", `Scaled up replica set ${newRS.metadata.name} from 0 to ${initial}`, {
          component: "deployment-controller",
        });
        this.progress(d, "ReplicaSetUpdated", `Created new replica set "${newRS.metadata.name}"`, "NewReplicaSetCreated");
      } catch {
        return;
      }
    } else if (revisionOf(newRS) < maxRevision) {
      // Rolling back to an older template: it becomes the newest revision again.
      const revision = maxRevision + 1;
      newRS = this.ctx.store.mutate("apps/replicasets", ns, newRS.metadata.name, (r) => {
        r.metadata.annotations = { ...(r.metadata.annotations ?? {}), "deployment.kubernetes.io/revision": String(revision) };
      })!;
    }

    const oldSets = olds();
    if (oldSets.every((rs) => (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0)) {
      // Steady state (or scaling): the new ReplicaSet simply follows spec.replicas.
      this.scaleRS(d, newRS, replicas);
    } else if (recreate) {
      for (const rs of oldSets) this.scaleRS(d, rs, 0);
      if (oldSets.every((rs) => (rs.status?.replicas ?? 0) === 0)) this.scaleRS(d, newRS, replicas);
    } else {
      // Scale up the new ReplicaSet within maxSurge.
      const total = [newRS, ...oldSets].reduce((s, rs) => s + (rs.spec.replicas ?? 0), 0);
      const room = replicas + maxSurge - total;
      if (room > 0 && (newRS.spec.replicas ?? 0) < replicas) this.scaleRS(d, newRS, Math.min(replicas, (newRS.spec.replicas ?? 0) + room));
      // Scale down old ones while keeping replicas - maxUnavailable available.
      const minAvailable = replicas - maxUnavailable;
      const fresh = this.ctx.store.get("apps/replicasets", ns, newRS.metadata.name) ?? newRS;
      const available = [fresh, ...oldSets].reduce((s, rs) => s + (rs.status?.availableReplicas ?? 0), 0);
      const newUnavailable = (fresh.spec.replicas ?? 0) - (fresh.status?.availableReplicas ?? 0);
      let canRemove = available - minAvailable - Math.max(0, newUnavailable - 0);
      canRemove = Math.max(canRemove, 0);
      for (const rs of oldSets) {
        const current = rs.spec.replicas ?? 0;
        if (current === 0) continue;
        // Old pods that are not available can always go.
        const unhealthy = current - (rs.status?.availableReplicas ?? 0);
        const remove = Math.min(current, unhealthy + canRemove);
        if (remove <= 0) continue;
        canRemove -= Math.max(0, remove - unhealthy);
        this.scaleRS(d, rs, current - remove);
      }
    }
    this.cleanupHistory(d);
    const latest = this.ctx.store.get("apps/deployments", ns, name);
    if (latest) this.writeStatus(latest, this.ctx.store.get("apps/replicasets", ns, newRS.metadata.name), olds());
  }

  private scaleRS(d: KubeObject, rs: KubeObject, to: number): void {
    const from = rs.spec.replicas ?? 0;
    const desired = String(d.spec.replicas ?? 1);
    if (from === to && rs.metadata.annotations?.["deployment.kubernetes.io/desired-replicas"] === desired) return;
    this.ctx.store.mutate("apps/replicasets", rs.metadata.namespace, rs.metadata.name, (r) => {
      r.spec.replicas = to;
      r.metadata.annotations = {
        ...(r.metadata.annotations ?? {}),
        "deployment.kubernetes.io/desired-replicas": desired,
        "deployment.kubernetes.io/max-replicas": String((d.spec.replicas ?? 1) + 1),
      };
    });
    if (from !== to) {
      this.ctx.events.record(d, "Normal", "ScalingReplicaSet", `Scaled ${to > from ? "up" : "down"} replica set ${rs.metadata.name} from ${from} to ${to}`, {
        component: "deployment-controller",
      });
    }
  }

  private cleanupHistory(d: KubeObject): void {
    const limit = d.spec.revisionHistoryLimit ?? 10;
    const hash = deploymentTemplateHash(d);
    const idle = this.ctx.store
      .list("apps/replicasets", d.metadata.namespace)
      .filter(
        (rs) => isOwnedBy(rs, d) && rs.metadata.labels?.["pod-template-hash"] !== hash && (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0,
      )
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      try {
        this.ctx.store.delete("apps/replicasets", rs.metadata.namespace, rs.metadata.name);
      } catch {
        // Already gone.
      }
    }
  }

  private progress(d: KubeObject, reason: string, message: string, overrideReason?: string): void {
    const now = iso(this.ctx.clock());
    this.mutateStatus(d, (s) => {
      s.conditions = setCondition(s.conditions ?? [], { type: "Progressing", status: "True", reason: overrideReason ?? reason, message }, now, true);
    });
  }

  private mutateStatus(d: KubeObject, fn: (status: { conditions?: Condition[]; [field: string]: unknown }) => void): void {
    this.writing = true;
    try {
      this.ctx.store.mutate("apps/deployments", d.metadata.namespace, d.metadata.name, (draft) => {
        draft.status ??= {};
        fn(draft.status);
      });
    } finally {
      this.writing = false;
    }
  }

  private writeStatus(d: KubeObject, newRS: KubeObject | undefined, olds: KubeObject[]): void {
    const sets = newRS ? [newRS, ...olds] : olds;
    const replicas = d.spec.replicas ?? 1;
    const sum = (f: (rs: KubeObject) => number) => sets.reduce((s, rs) => s + f(rs), 0);
    const total = sum((rs) => rs.status?.replicas ?? 0);
    const ready = sum((rs) => rs.status?.readyReplicas ?? 0);
    const available = sum((rs) => rs.status?.availableReplicas ?? 0);
    const updated = newRS?.status?.replicas ?? 0;
    const maxUnavailable = resolveIntOrPercent(d.spec.strategy?.rollingUpdate?.maxUnavailable, replicas, false, "25%");
    const now = iso(this.ctx.clock());
    const complete = updated === replicas && total === replicas && available === replicas && (newRS?.spec.replicas ?? 0) === replicas;
    const deadlineMs = (d.spec.progressDeadlineSeconds ?? 600) * 1000 * this.ctx.speed.slow * 20;
    this.mutateStatus(d, (s) => {
      let conditions: Condition[] = s.conditions ?? [];
      conditions = setCondition(
        conditions,
        available >= replicas - maxUnavailable
          ? { type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability." }
          : { type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability." },
        now,
        true,
      );
      const progressing = conditions.find((c) => c.type === "Progressing");
      if (newRS && complete) {
        conditions = setCondition(
          conditions,
          {
            type: "Progressing",
            status: "True",
            reason: "NewReplicaSetAvailable",
            message: `ReplicaSet "${newRS.metadata.name}" has successfully progressed.`,
          },
          now,
          true,
        );
      } else if (newRS && progressing?.reason === "ProgressDeadlineExceeded") {
        // Stays timed out until the rollout completes or the template changes.
      } else if (newRS) {
        const since =
          progressing?.reason === "ReplicaSetUpdated" || progressing?.reason === "NewReplicaSetCreated"
            ? Date.parse(progressing.lastUpdateTime ?? now)
            : this.ctx.clock();
        if (this.ctx.clock() - since > deadlineMs) {
          conditions = setCondition(
            conditions,
            {
              type: "Progressing",
              status: "False",
              reason: "ProgressDeadlineExceeded",
              message: `ReplicaSet "${newRS.metadata.name}" has timed out progressing.`,
            },
            now,
            true,
          );
        } else if (progressing?.reason !== "ReplicaSetUpdated" && progressing?.reason !== "NewReplicaSetCreated") {
          conditions = setCondition(
            conditions,
            { type: "Progressing", status: "True", reason: "ReplicaSetUpdated", message: `ReplicaSet "${newRS.metadata.name}" is progressing.` },
            now,
            true,
          );
          this.ctx.timers.after(deadlineMs + 50, () => this.queue.add(`${d.metadata.namespace}/${d.metadata.name}`));
        }
      }
      // A ReplicaSet that cannot create its pods (quota, admission) shows on the Deployment, as getReplicaFailures does.
      const failure = sets.map((rs) => (rs.status?.conditions ?? []).find((c: Condition) => c.type === "ReplicaFailure" && c.status === "True")).find(Boolean);
      conditions = failure
        ? setCondition(conditions, { type: "ReplicaFailure", status: "True", reason: failure.reason, message: failure.message }, now, true)
        : conditions.filter((c) => c.type !== "ReplicaFailure");
      // kubectl shows Available first, then Progressing.
      conditions.sort((a, b) => (a.type === "Available" ? -1 : b.type === "Available" ? 1 : 0));
      s.observedGeneration = d.metadata.generation ?? 1;
      s.replicas = total;
      s.updatedReplicas = updated;
      s.readyReplicas = ready;
      s.availableReplicas = available;
      s.unavailableReplicas = Math.max(0, replicas - available);
      for (const k of ["replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas"]) if (!s[k]) delete s[k];
      s.conditions = conditions;
    });
    if (newRS) {
      const revision = newRS.metadata.annotations?.["deployment.kubernetes.io/revision"];
      if (revision && d.metadata.annotations?.["deployment.kubernetes.io/revision"] !== revision) {
        this.writing = true;
        try {
          this.ctx.store.mutate("apps/deployments", d.metadata.namespace, d.metadata.name, (draft) => {
            draft.metadata.annotations = { ...(draft.metadata.annotations ?? {}), "deployment.kubernetes.io/revision": revision };
          });
        } finally {
          this.writing = false;
        }
      }
    }
  }
}

// disruption controller: keeps each PodDisruptionBudget's status (expected, healthy and desired
// pod counts, disruptionsAllowed, the DisruptionAllowed condition) current with its pods, and
// forgets evicted pods once they are seen going, as the kube-controller-manager one does.
import type { KubeObject, StoreEvent } from "../store/types";
import { controllerOf, isPodReady, iso, type Condition } from "./kube-util";
import { splitKey } from "./work-queue";
import { QueuedController } from "./queued-controller";

/** policy/v1: a nil selector selects nothing, an empty one every pod of the namespace. */
export function pdbSelects(pdb: KubeObject, pod: KubeObject): boolean {
  const sel = pdb.spec?.selector;
  if (!sel) return false;
  const labels: Record<string, string> = pod.metadata.labels ?? {};
  for (const [k, v] of Object.entries((sel.matchLabels ?? {}) as Record<string, string>)) if (labels[k] !== v) return false;
  for (const e of (sel.matchExpressions ?? []) as { key: string; operator: string; values?: string[] }[]) {
    const has = e.key in labels;
    const value = labels[e.key];
    if (e.operator === "In" && !(has && (e.values ?? []).includes(value!))) return false;
    if (e.operator === "NotIn" && has && (e.values ?? []).includes(value!)) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

function intOrPercent(value: string | number, total: number, roundUp: boolean): number {
  if (typeof value === "number") return value;
  if (value.endsWith("%")) {
    const raw = (Number(value.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(raw) : Math.floor(raw);
  }
  return Number(value);
}

/** The DisruptionAllowed condition as pdbhelper.UpdateDisruptionAllowedCondition writes it. */
export function disruptionAllowedCondition(allowed: number, generation: number, previous: Condition | undefined, now: string): Condition {
  const status = allowed > 0 ? "True" : "False";
  return {
    type: "DisruptionAllowed",
    status,
    reason: allowed > 0 ? "SufficientPods" : "InsufficientPods",
    message: "",
    observedGeneration: generation,
    lastTransitionTime: previous?.status === status && previous.lastTransitionTime ? previous.lastTransitionTime : now,
  };
}

export class DisruptionController extends QueuedController {
  start(): void {
    super.start();
    for (const pdb of this.ctx.store.list("policy/poddisruptionbudgets")) this.queue.add(`${pdb.metadata.namespace}/${pdb.metadata.name}`);
  }

  protected onEvent(ev: StoreEvent): void {
    if (ev.resource === "policy/poddisruptionbudgets") {
      if (ev.type !== "DELETED") this.queue.add(`${ev.object.metadata.namespace}/${ev.object.metadata.name}`);
      return;
    }
    if (ev.resource !== "core/pods" && ev.resource !== "apps/deployments" && ev.resource !== "apps/replicasets" && ev.resource !== "apps/statefulsets") return;
    const ns = ev.object.metadata.namespace!;
    // Most namespaces have no budget: one map lookup and done.
    for (const pdb of this.ctx.store.list("policy/poddisruptionbudgets", ns)) this.queue.add(`${ns}/${pdb.metadata.name}`);
  }

  /** The scale of the controllers owning `pods` (Deployment through its ReplicaSet, ReplicaSet, StatefulSet), summed once each. */
  private expectedFromControllers(ns: string, pods: KubeObject[]): number {
    const seen = new Map<string, number>();
    for (const pod of pods) {
      const owner = controllerOf(pod);
      if (!owner) continue;
      if (owner.kind === "ReplicaSet") {
        const rs = this.ctx.store.get("apps/replicasets", ns, owner.name);
        const dOwner = rs && controllerOf(rs);
        const d = dOwner?.kind === "Deployment" ? this.ctx.store.get("apps/deployments", ns, dOwner.name) : undefined;
        if (d) seen.set(`d/${d.metadata.uid}`, d.spec?.replicas ?? 1);
        else if (rs) seen.set(`rs/${rs.metadata.uid}`, rs.spec?.replicas ?? 1);
      } else if (owner.kind === "StatefulSet") {
        const sts = this.ctx.store.get("apps/statefulsets", ns, owner.name);
        if (sts) seen.set(`sts/${sts.metadata.uid}`, sts.spec?.replicas ?? 1);
      }
    }
    return [...seen.values()].reduce((a, b) => a + b, 0);
  }

  protected sync(key: string): void {
    const [ns, name] = splitKey(key);
    const pdb = this.ctx.store.get("policy/poddisruptionbudgets", ns, name);
    if (!pdb || pdb.metadata.deletionTimestamp) return;
    const pods = this.ctx.store.list("core/pods", ns).filter((p) => pdbSelects(pdb, p));
    const disrupted: Record<string, string> = { ...(pdb.status?.disruptedPods ?? {}) };
    const now = this.ctx.clock();
    for (const podName of Object.keys(disrupted)) {
      const pod = pods.find((p) => p.metadata.name === podName);
      // Seen going (or gone), or never deleted within the two minutes the real controller waits.
      if (!pod || pod.metadata.deletionTimestamp || now - Date.parse(disrupted[podName]!) > 120_000) delete disrupted[podName];
    }
    const healthy = pods.filter((p) => !p.metadata.deletionTimestamp && !(p.metadata.name in disrupted) && isPodReady(p)).length;
    const { minAvailable, maxUnavailable } = pdb.spec ?? {};
    let expected: number;
    let desired: number;
    if (maxUnavailable !== undefined) {
      expected = this.expectedFromControllers(ns, pods);
      desired = Math.max(0, expected - intOrPercent(maxUnavailable, expected, true));
    } else if (typeof minAvailable === "string" && minAvailable.endsWith("%")) {
      expected = this.expectedFromControllers(ns, pods);
      desired = intOrPercent(minAvailable, expected, true);
    } else {
      expected = pods.length;
      desired = minAvailable === undefined ? 0 : intOrPercent(minAvailable, expected, true);
    }
    const allowed = Math.max(0, healthy - desired);
    const generation = pdb.metadata.generation ?? 1;
    this.ctx.store.mutate("policy/poddisruptionbudgets", ns, name, (d) => {
      const previous = (d.status?.conditions ?? []).find((c: Condition) => c.type === "DisruptionAllowed");
      const condition = disruptionAllowedCondition(allowed, generation, previous, iso(now));
      const unchanged = previous && previous.status === condition.status && previous.reason === condition.reason && previous.observedGeneration === generation;
      d.status = {
        ...(Object.keys(disrupted).length ? { disruptedPods: disrupted } : {}),
        disruptionsAllowed: allowed,
        currentHealthy: healthy,
        desiredHealthy: desired,
        expectedPods: expected,
        observedGeneration: generation,
        conditions: [unchanged ? previous : condition],
      };
    });
  }
}

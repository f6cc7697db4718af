// POST /api/v1/namespaces/<ns>/pods/<name>/eviction: the policy/v1 Eviction subresource, with
// the rules of kube-apiserver's eviction REST (pkg/registry/core/pod/storage/eviction.go): pods
// that are not running ignore budgets, one budget at most, 429 when it allows no disruption,
// otherwise the budget is charged and the pod deleted gracefully.
import { disruptionAllowedCondition, pdbSelects } from "../controllers/disruption-controller";
import { isPodReady, iso, type Condition } from "../controllers/kube-util";
import { ApiError, badRequest, internalError, notFound } from "../store/api-error";
import type { ObjectStore } from "../store/object-store";
import type { KubeObject } from "../store/types";

export interface EvictionDeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** The 409 kube-apiserver's rest.BeforeDelete answers for a stale uid or resourceVersion precondition. */
export function deletePreconditionError(kind: string, current: KubeObject, pre: EvictionDeleteOptions["preconditions"]): ApiError | undefined {
  const name = current.metadata.name;
  const conflict = (why: string) => new ApiError(409, "Conflict", `Operation cannot be fulfilled on ${kind} "${name}": ${why}`, { name, kind });
  // A precondition given is compared, even empty (Go's *types.UID set to "").
  if (pre?.uid !== undefined && pre.uid !== current.metadata.uid)
    return conflict(
      `the UID in the precondition (${pre.uid}) does not match the UID in record (${current.metadata.uid}). The object might have been deleted and then recreated`,
    );
  if (pre?.resourceVersion !== undefined && pre.resourceVersion !== current.metadata.resourceVersion)
    return conflict(
      `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${current.metadata.resourceVersion}). The object might have been modified`,
    );
  return undefined;
}

const budgetViolation = (cause: string) =>
  new ApiError(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.", {
    causes: [{ reason: "DisruptionBudget", message: cause }],
  });

/** Pods a budget does not protect: finished, not yet running, or already going. */
const canIgnorePdb = (pod: KubeObject) =>
  pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed" || pod.status?.phase === "Pending" || !!pod.metadata.deletionTimestamp;

/** Runs one eviction. Throws the API's error; returns once the pod is deleted (or would be, on dry-run). */
export function evictPod(
  store: ObjectStore,
  namespace: string,
  name: string,
  options: EvictionDeleteOptions,
  dryRun: boolean,
  clock: () => number = Date.now,
): void {
  const pod = store.get("core/pods", namespace, name);
  if (!pod) throw notFound("pods", name);
  const preconditionError = deletePreconditionError("Pod", pod, options.preconditions);
  if (preconditionError) throw preconditionError;

  const remove = () => {
    if (!dryRun)
      store.mutate("core/pods", namespace, name, (d) => {
        const now = iso(clock());
        const conditions: Condition[] = (d.status?.conditions ?? []).filter((c: Condition) => c.type !== "DisruptionTarget");
        conditions.push({
          type: "DisruptionTarget",
          status: "True",
          reason: "EvictionByEvictionAPI",
          message: "Eviction API: evicting",
          lastProbeTime: null,
          lastTransitionTime: now,
        });
        d.status = { ...(d.status ?? {}), conditions };
      });
    store.delete("core/pods", namespace, name, { gracePeriodSeconds: options.gracePeriodSeconds, propagationPolicy: options.propagationPolicy, dryRun });
  };

  if (canIgnorePdb(pod)) return remove();
  const pdbs = store.list("policy/poddisruptionbudgets", namespace).filter((b) => pdbSelects(b, pod));
  if (pdbs.length > 1) throw internalError("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
  if (pdbs.length === 0) return remove();
  const pdb = pdbs[0]!;
  const status = pdb.status ?? {};

  if (pod.status?.phase === "Running" && !isPodReady(pod)) {
    // An unready pod does not count as healthy: the budget lets it go when the healthy ones suffice.
    if (pdb.spec?.unhealthyPodEvictionPolicy === "AlwaysAllow") return remove();
    if ((status.currentHealthy ?? 0) >= (status.desiredHealthy ?? 0) && (status.desiredHealthy ?? 0) > 0) return remove();
  }

  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 1))
    throw budgetViolation(`The disruption budget ${pdb.metadata.name} is still being processed by the server.`);
  const allowed: number = status.disruptionsAllowed ?? 0;
  if (allowed < 0)
    throw new ApiError(403, "Forbidden", `poddisruptionbudgets.policy "${pdb.metadata.name}" is forbidden: pdb disruptions allowed is negative`, {
      name: pdb.metadata.name,
      group: "policy",
      kind: "poddisruptionbudgets",
    });
  if (allowed === 0)
    throw budgetViolation(
      `The disruption budget ${pdb.metadata.name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`,
    );

  if (!dryRun)
    store.mutate("policy/poddisruptionbudgets", namespace, pdb.metadata.name, (d) => {
      const now = iso(clock());
      const left = allowed - 1;
      d.status = { ...(d.status ?? {}), disruptionsAllowed: left, disruptedPods: { ...(d.status?.disruptedPods ?? {}), [name]: now } };
      if (left === 0) {
        const previous = (d.status.conditions ?? []).find((c: Condition) => c.type === "DisruptionAllowed");
        d.status.conditions = [disruptionAllowedCondition(0, d.metadata.generation ?? 1, previous, now)];
      }
    });
  remove();
}

/** The Eviction body's fields the API reads (checked here, as Go's decoder would). */
export function parseEviction(body: unknown, urlName: string): { deleteOptions: EvictionDeleteOptions & { dryRun?: unknown } } {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw badRequest("Object 'Kind' is missing in eviction body");
  const e = body as { kind?: unknown; metadata?: { name?: unknown }; deleteOptions?: unknown };
  if (e.kind !== undefined && e.kind !== "Eviction") throw badRequest(`the kind in the data (${String(e.kind)}) does not match the expected kind (Eviction)`);
  if (e.metadata?.name !== undefined && e.metadata.name !== urlName) throw badRequest("name in URL does not match name in Eviction object");
  const opts = e.deleteOptions;
  if (opts !== undefined && opts !== null && (typeof opts !== "object" || Array.isArray(opts)))
    throw badRequest("json: cannot unmarshal into Go struct field Eviction.deleteOptions of type v1.DeleteOptions");
  return { deleteOptions: (opts ?? {}) as EvictionDeleteOptions & { dryRun?: unknown } };
}

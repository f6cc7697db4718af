import "server-only";

import { RUNBOOK_INPUT_SCHEMAS, type RunbookInput } from "@/lib/runbooks/runbook-inputs";
import { REPLICAS_BEFORE_STOP_ANNOTATION } from "@/server/kube/kinds/slimming";
import { deploymentExists, instanceOf, isReady, plural, podFailure } from "./instance";
import type { RunbookContext, RunbookDefinition } from "./runbook";

type Input = RunbookInput<"start-instance">;

function rememberedReplicas(context: RunbookContext): number {
  const { deployment } = instanceOf(context);
  const remembered = Number(deployment?.metadata.annotations[REPLICAS_BEFORE_STOP_ANNOTATION]);
  return Number.isInteger(remembered) && remembered > 0 && remembered <= 50 ? remembered : 1;
}

/**
 * Scales a stopped instance back to the replica count "Stop" remembered (1 if none).
 *
 * Its mutations are previewed by the engine with a dry run (dryRun=All) and confirmed against
 * that preview (server/runbooks/engine/preview.ts).
 */
export const startInstance: RunbookDefinition<Input> = {
  id: "start-instance",
  title: "Start the instance",
  description: "Scales a stopped instance back to the number of pods it had before it was stopped.",
  scope: "tenant",
  inputSchema: RUNBOOK_INPUT_SCHEMAS["start-instance"],
  permission: () => "runbook:run",
  risk: () => "low",
  preconditions(_input, context) {
    const { deployment } = instanceOf(context);
    const replicas = deployment?.spec.replicas ?? 0;
    return [
      deploymentExists(deployment),
      {
        id: "stopped",
        label: "The instance is stopped",
        ok: !deployment || replicas === 0,
        reason: replicas === 0 ? undefined : `The instance is already running (${plural(replicas, "replica")}).`,
      },
    ];
  },
  plan(_input, context) {
    const { deployment } = instanceOf(context);
    if (!deployment) return [];
    const name = deployment.metadata.name;
    return [
      { type: "scale-deployment", namespace: context.namespace, name, replicas: rememberedReplicas(context) },
      { type: "annotate-deployment", namespace: context.namespace, name, annotations: { [REPLICAS_BEFORE_STOP_ANNOTATION]: null } },
    ];
  },
  verify(_sent, context) {
    const { deployment, pods } = instanceOf(context);
    if (!deployment) return { done: true, ok: false, message: "The Deployment is gone." };
    const replicaFailure = deployment.status.conditions.find((c) => c.type === "ReplicaFailure" && c.status === "True");
    if (replicaFailure && pods.length < deployment.spec.replicas) {
      return { done: true, ok: false, message: `Kubernetes cannot create the pods: ${replicaFailure.message ?? replicaFailure.reason ?? "ReplicaFailure"}` };
    }
    const failure = pods.map(podFailure).find(Boolean);
    if (failure) return { done: true, ok: false, message: `The instance does not come up. ${failure}.` };
    const ready = pods.filter(isReady).length;
    if (deployment.spec.replicas > 0 && ready >= deployment.spec.replicas && deployment.status.availableReplicas >= deployment.spec.replicas) {
      return { done: true, ok: true, message: `Started: ${plural(ready, "pod")} ready and available.` };
    }
    return { done: false, progress: `${ready} of ${deployment.spec.replicas} pods ready.` };
  },
  verifyTimeoutMs: 5 * 60_000,
  inverse: () => ({ runbookId: "stop-instance", input: {} }),
};

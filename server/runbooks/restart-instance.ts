import "server-only";

import { RUNBOOK_INPUT_SCHEMAS, type RunbookInput } from "@/lib/runbooks/runbook-inputs";
import { deploymentExists, instanceOf, isReady, notPaused, plural, podFailure, createdSince } from "./instance";
import type { RunbookDefinition } from "./runbook";

type Input = RunbookInput<"restart-instance">;

/**
 * `kubectl rollout restart`: a new restartedAt on the pod template makes the Deployment roll every
 * pod. Verified as Argo CD judges a Deployment healthy: the controller saw the new generation,
 * every replica is updated and available, and no pod of the old ReplicaSet is left.
 *
 * Its mutations are previewed by the engine with a dry run (dryRun=All) and confirmed against
 * that preview (server/runbooks/engine/preview.ts).
 */
export const restartInstance: RunbookDefinition<Input> = {
  id: "restart-instance",
  title: "Restart the instance",
  description: "Rolls every pod of the instance, one at a time, as kubectl rollout restart does. Users may see a short interruption.",
  scope: "tenant",
  inputSchema: RUNBOOK_INPUT_SCHEMAS["restart-instance"],
  permission: () => "runbook:run",
  risk: () => "low",
  preconditions(_input, context) {
    const { deployment } = instanceOf(context);
    const running = (deployment?.spec.replicas ?? 0) > 0;
    return [
      deploymentExists(deployment),
      notPaused(deployment),
      {
        id: "running",
        label: "The instance is running",
        ok: !deployment || running,
        reason: running ? undefined : "The instance is stopped (0 replicas): start it instead.",
      },
    ];
  },
  plan(_input, context) {
    const { deployment } = instanceOf(context);
    if (!deployment) return [];
    return [{ type: "restart-deployment", namespace: context.namespace, name: deployment.metadata.name, restartedAt: context.now.toISOString() }];
  },
  verify(sent, context) {
    const { deployment, pods } = instanceOf(context);
    if (!deployment) return { done: true, ok: false, message: "The Deployment is gone." };
    const generation = Number((sent.outcomes[0]?.after?.metadata as { generation?: number } | undefined)?.generation ?? deployment.metadata.generation ?? 0);
    const { spec, status } = deployment;
    const fresh = pods.filter((pod) => createdSince(pod, sent.sentAt));
    const failure = fresh.map(podFailure).find(Boolean);
    if (failure) return { done: true, ok: false, message: `The restarted instance does not come up. ${failure}.` };
    // Until the controller saw the restart, its conditions describe the rollout before it.
    if ((status.observedGeneration ?? 0) < generation) return { done: false, progress: "Waiting for the Deployment controller to see the restart." };
    const stuck = status.conditions.find((c) => c.type === "Progressing" && c.status === "False" && c.reason === "ProgressDeadlineExceeded");
    if (stuck) return { done: true, ok: false, message: `The rollout is stuck: ${stuck.message ?? "progress deadline exceeded"}` };
    const old = pods.filter((pod) => !createdSince(pod, sent.sentAt));
    const readyNew = fresh.filter(isReady).length;
    if (
      status.updatedReplicas >= spec.replicas &&
      status.replicas === status.updatedReplicas &&
      status.availableReplicas >= spec.replicas &&
      old.length === 0 &&
      readyNew >= spec.replicas
    ) {
      return { done: true, ok: true, message: `Restarted: ${plural(readyNew, "new pod")} ready, no old pod left.` };
    }
    return {
      done: false,
      progress: `${status.updatedReplicas} of ${spec.replicas} updated, ${status.availableReplicas} available, ${plural(old.length, "old pod")} left.`,
    };
  },
  verifyTimeoutMs: 5 * 60_000,
};

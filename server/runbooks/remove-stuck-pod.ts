import "server-only";

import { RUNBOOK_INPUT_SCHEMAS, type RunbookInput } from "@/lib/runbooks/runbook-inputs";
import { podStatus } from "@/server/kube/kinds/pod";
import { deploymentExists, instanceOf, isReady, plural } from "./instance";
import type { RunbookDefinition } from "./runbook";

type Input = RunbookInput<"remove-stuck-pod">;

/**
 * Removes one pod of the instance so its Deployment makes a new one: through the Eviction API by
 * default, so PodDisruptionBudgets hold (a 429 names the budget); or, admin-only and with a reason,
 * force-deleted with grace 0 for a pod stuck Terminating. Both name the pod's uid, so a newer pod
 * that took the same name is never hit. Either mutation is previewed by the engine with a dry run
 * (an eviction or delete with dryRun=All) and confirmed against that preview
 * (server/runbooks/engine/preview.ts).
 */
export const removeStuckPod: RunbookDefinition<Input> = {
  id: "remove-stuck-pod",
  title: "Remove a stuck pod",
  description: "Evicts one pod so the instance gets a fresh one (disruption budgets are respected). Admins may force-delete a pod stuck terminating.",
  scope: "pod",
  inputSchema: RUNBOOK_INPUT_SCHEMAS["remove-stuck-pod"],
  permission: (input) => (input.force ? "runbook:force" : "runbook:run"),
  risk: (input) => (input.force ? "high" : "low"),
  targets: (context) => instanceOf(context).pods.map((pod) => pod.metadata.name),
  preconditions(input, context) {
    const { deployment, pods } = instanceOf(context);
    const pod = pods.find((candidate) => candidate.metadata.name === input.pod);
    const terminating = Boolean(pod?.metadata.deletionTimestamp);
    return [
      {
        id: "pod-exists",
        label: `Pod ${input.pod} belongs to this instance`,
        ok: Boolean(pod),
        reason: pod ? undefined : "No pod of this instance has that name (any more).",
      },
      deploymentExists(deployment),
      {
        id: "replaced",
        label: "The Deployment will make a replacement",
        ok: (deployment?.spec.replicas ?? 0) > 0,
        reason: (deployment?.spec.replicas ?? 0) > 0 ? undefined : "The instance is stopped (0 replicas): nothing would replace the pod.",
      },
      ...(input.force
        ? []
        : [
            {
              id: "not-terminating",
              label: "The pod is not already terminating",
              ok: !terminating,
              reason: terminating ? "The pod is already terminating and stuck: only a force delete (admins) removes it." : undefined,
            },
          ]),
    ];
  },
  plan(input, context) {
    // The uid is pinned from the object the dry run read (the cache does not keep pod uids).
    return [{ type: input.force ? "force-delete-pod" : "evict-pod", namespace: context.namespace, name: input.pod, uid: "" }];
  },
  verify(sent, context) {
    const { deployment, pods } = instanceOf(context);
    const removed = pods.find((pod) => pod.metadata.name === sent.input.pod);
    const replicas = deployment?.spec.replicas ?? 0;
    const ready = pods.filter((pod) => pod.metadata.name !== sent.input.pod && isReady(pod)).length;
    if (removed) {
      const view = podStatus(removed);
      return { done: false, progress: `Pod ${sent.input.pod} is ${view.terminating ? "terminating" : view.status}; ${ready} of ${replicas} other pods ready.` };
    }
    if (ready >= replicas)
      return {
        done: true,
        ok: true,
        message: `Pod ${sent.input.pod} is gone and ${plural(ready, "pod")} of the instance ${ready === 1 ? "is" : "are"} ready.`,
      };
    return { done: false, progress: `Pod ${sent.input.pod} is gone; waiting for its replacement (${ready} of ${replicas} ready).` };
  },
  verifyTimeoutMs: 3 * 60_000,
};

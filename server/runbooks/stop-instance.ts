import "server-only";

import { RUNBOOK_INPUT_SCHEMAS, type RunbookInput } from "@/lib/runbooks/runbook-inputs";
import { REPLICAS_BEFORE_STOP_ANNOTATION } from "@/server/kube/kinds/slimming";
import { deploymentExists, instanceOf, plural } from "./instance";
import type { RunbookDefinition } from "./runbook";

type Input = RunbookInput<"stop-instance">;

/**
 * Scales the instance to 0 through the scale subresource, after writing the replica count on the
 * Deployment so "Start" brings back as many. Stopping a production tenant takes it offline for its
 * customer: high risk, a second person approves.
 *
 * Its mutations are previewed by the engine with a dry run (dryRun=All) and confirmed against
 * that preview (server/runbooks/engine/preview.ts).
 */
export const stopInstance: RunbookDefinition<Input> = {
  id: "stop-instance",
  title: "Stop the instance",
  description: "Scales the instance to 0 pods (the customer's Odoo goes offline) and remembers how many it had, so Start brings them back.",
  scope: "tenant",
  inputSchema: RUNBOOK_INPUT_SCHEMAS["stop-instance"],
  permission: () => "runbook:run",
  risk: (_input, context) => (context.tenant.instanceType === "production" ? "high" : "low"),
  preconditions(_input, context) {
    const { deployment } = instanceOf(context);
    const replicas = deployment?.spec.replicas ?? 0;
    return [
      deploymentExists(deployment),
      {
        id: "running",
        label: "The instance is running",
        ok: !deployment || replicas > 0,
        reason: replicas > 0 ? undefined : "The instance is already stopped (0 replicas).",
      },
    ];
  },
  plan(_input, context) {
    const { deployment } = instanceOf(context);
    if (!deployment) return [];
    const name = deployment.metadata.name;
    return [
      { type: "annotate-deployment", namespace: context.namespace, name, annotations: { [REPLICAS_BEFORE_STOP_ANNOTATION]: String(deployment.spec.replicas) } },
      { type: "scale-deployment", namespace: context.namespace, name, replicas: 0 },
    ];
  },
  verify(_sent, context) {
    const { deployment, pods } = instanceOf(context);
    if (!deployment) return { done: true, ok: false, message: "The Deployment is gone." };
    // The cache may not have seen the scale yet; a scale back by someone else ends in the timeout.
    if (deployment.spec.replicas !== 0) return { done: false, progress: `The Deployment still asks for ${plural(deployment.spec.replicas, "replica")}.` };
    if (pods.length === 0) return { done: true, ok: true, message: "Stopped: no pod of the instance is left." };
    return { done: false, progress: `${plural(pods.length, "pod")} still terminating.` };
  },
  verifyTimeoutMs: 3 * 60_000,
  inverse: () => ({ runbookId: "start-instance", input: {} }),
};

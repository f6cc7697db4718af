import "server-only";

import type { PreconditionView } from "@/lib/runbooks/run-views";
import type { DeploymentObject } from "@/server/kube/kinds/deployment";
import { podStatus, type PodObject } from "@/server/kube/kinds/pod";
import { instanceObjects } from "@/server/tenants/tenant-view";
import type { RunbookContext } from "./runbook";

// Read-only helpers of the instance runbooks: they plan no mutation (the runbooks' mutations are
// previewed by the engine's dry run, server/runbooks/engine/preview.ts).

/** What the instance runbooks read of a tenant: its Deployment and its pods, from the cache. */
export function instanceOf(context: RunbookContext): { deployment?: DeploymentObject; pods: PodObject[] } {
  const { deployment, pods } = instanceObjects(context.cluster, context.tenant);
  return { deployment, pods };
}

export function deploymentExists(deployment: DeploymentObject | undefined): PreconditionView {
  return deployment
    ? { id: "deployment-exists", label: `The instance's Deployment ${deployment.metadata.name} exists`, ok: true }
    : { id: "deployment-exists", label: "The instance's Deployment exists", ok: false, reason: "The cluster has no Deployment for this tenant." };
}

/** kubectl rollout restart / scale refuse nothing on a paused Deployment, but a restart would not roll. */
export function notPaused(deployment: DeploymentObject | undefined): PreconditionView {
  const paused = Boolean(deployment?.spec.paused);
  return {
    id: "not-paused",
    label: "The Deployment is not paused",
    ok: !paused,
    reason: paused ? `deployments.apps/${deployment?.metadata.name} can't restart paused deployment (run rollout resume first)` : undefined,
  };
}

/** A pod created by the change (not one that was there before it was sent). */
export function createdSince(pod: PodObject, since: Date): boolean {
  const created = pod.metadata.creationTimestamp ? Date.parse(pod.metadata.creationTimestamp) : 0;
  // Timestamps have second precision: a pod created in the same second counts as new.
  return created >= Math.floor(since.getTime() / 1000) * 1000;
}

const FAILING_STATUSES = new Set([
  "CrashLoopBackOff",
  "Error",
  "OOMKilled",
  "ImagePullBackOff",
  "ErrImagePull",
  "CreateContainerConfigError",
  "InvalidImageName",
]);

/** Why a pod has definitely failed to come up (it crashes, cannot pull its image), or undefined. */
export function podFailure(pod: PodObject): string | undefined {
  const view = podStatus(pod);
  if (view.terminating) return undefined;
  if (FAILING_STATUSES.has(view.status) || (view.restarts > 0 && !view.podReady)) {
    const last = view.lastTermination ? ` (last exit: ${view.lastTermination.reason}, code ${view.lastTermination.exitCode})` : "";
    return `Pod ${pod.metadata.name} is ${view.status}${last}${view.message ? `: ${view.message}` : ""}`;
  }
  return undefined;
}

export function isReady(pod: PodObject): boolean {
  const view = podStatus(pod);
  return view.podReady && !view.terminating;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

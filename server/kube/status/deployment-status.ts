import type { Condition, DeploymentObject, ReplicaSetObject } from "../objects";
import type { DeploymentView } from "@/lib/cluster/views";


function baseStatus(deployment: DeploymentObject): DeploymentView {
  const { spec, status } = deployment;
  const progressing = status.conditions.find((c) => c.type === "Progressing");
  const available = status.conditions.find((c) => c.type === "Available");
  const stuck = progressing?.status === "False" && progressing.reason === "ProgressDeadlineExceeded";
  const main = spec.containers.find((c) => c.name === "odoo") ?? spec.containers[0];
  let display: DeploymentView["status"];
  if (spec.paused) display = "paused";
  else if (spec.replicas === 0) display = "scaled-to-zero";
  else if (stuck) display = "rollout-stuck";
  else if (
    status.updatedReplicas < spec.replicas ||
    status.replicas > status.updatedReplicas ||
    (status.observedGeneration ?? 0) < (deployment.metadata.generation ?? 0)
  )
    display = "progressing";
  else if (available?.status === "True" && status.availableReplicas >= spec.replicas) display = "available";
  else display = "unavailable";
  return {
    name: deployment.metadata.name,
    namespace: deployment.metadata.namespace ?? "",
    desired: spec.replicas,
    current: status.replicas,
    ready: status.readyReplicas,
    updated: status.updatedReplicas,
    available: status.availableReplicas,
    image: main?.image ?? "",
    resources: main?.resources ?? {},
    status: display,
    rolloutStuck: stuck ? { message: progressing?.message ?? "progress deadline exceeded", since: progressing?.lastTransitionTime } : undefined,
    conditions: status.conditions,
    revision: deployment.metadata.annotations["deployment.kubernetes.io/revision"],
    createdAt: deployment.metadata.creationTimestamp,
  };
}

/** Status plus the last rollout, read from the ReplicaSet carrying the deployment's revision. */
export function deploymentStatus(deployment: DeploymentObject, replicaSets: ReplicaSetObject[] = []): DeploymentView {
  const view = baseStatus(deployment);
  const owned = replicaSets.filter((rs) => rs.metadata.ownerReferences.some((o) => o.uid === deployment.metadata.uid || (o.kind === "Deployment" && o.name === deployment.metadata.name)));
  if (owned.length === 0) return view;
  const current =
    owned.find((rs) => rs.metadata.annotations["deployment.kubernetes.io/revision"] === view.revision) ??
    owned.reduce((a, b) => ((a.metadata.creationTimestamp ?? "") > (b.metadata.creationTimestamp ?? "") ? a : b));
  return {
    ...view,
    lastRollout: {
      revision: current.metadata.annotations["deployment.kubernetes.io/revision"],
      replicaSet: current.metadata.name,
      at: current.metadata.creationTimestamp,
      images: current.spec.images,
    },
  };
}

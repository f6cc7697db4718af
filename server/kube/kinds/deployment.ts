import "server-only";

import type { RawObject } from "../watch-stream";
import type { ReplicaSetObject } from "./replica-set";
import {
  interned,
  REVISION_ANNOTATION,
  slimConditions,
  slimContainers,
  type CachedKind,
  type ContainerSpec,
  type MetadataSlimmer,
  type ObjectMeta,
  type Raw,
} from "./slimming";
import type { Condition, DeploymentView } from "@/lib/cluster/views";

export interface DeploymentObject {
  kind: "Deployment";
  metadata: ObjectMeta;
  spec: {
    replicas: number;
    paused?: boolean;
    strategy?: string;
    containers: readonly ContainerSpec[];
  };
  status: {
    observedGeneration?: number;
    replicas: number;
    readyReplicas: number;
    updatedReplicas: number;
    availableReplicas: number;
    unavailableReplicas: number;
    conditions: readonly Condition[];
  };
}

function slimDeployment(raw: RawObject, slimMetadata: MetadataSlimmer): DeploymentObject {
  const r = raw as Raw;
  return {
    kind: "Deployment",
    metadata: slimMetadata(raw, { deployment: true }),
    spec: {
      replicas: r.spec?.replicas ?? 1,
      paused: r.spec?.paused,
      strategy: interned(r.spec?.strategy?.type),
      containers: slimContainers(r.spec?.template?.spec?.containers),
    },
    status: {
      observedGeneration: r.status?.observedGeneration,
      replicas: r.status?.replicas ?? 0,
      readyReplicas: r.status?.readyReplicas ?? 0,
      updatedReplicas: r.status?.updatedReplicas ?? 0,
      availableReplicas: r.status?.availableReplicas ?? 0,
      unavailableReplicas: r.status?.unavailableReplicas ?? 0,
      conditions: slimConditions(r.status?.conditions),
    },
  };
}

export const deploymentKind: CachedKind<DeploymentObject> = { path: "/apis/apps/v1/deployments", slim: slimDeployment };

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
    revision: deployment.metadata.annotations[REVISION_ANNOTATION],
    createdAt: deployment.metadata.creationTimestamp,
  };
}

/** Status plus the last rollout, read from the ReplicaSet carrying the deployment's revision. */
export function deploymentStatus(deployment: DeploymentObject, replicaSets: ReplicaSetObject[] = []): DeploymentView {
  const view = baseStatus(deployment);
  const owned = replicaSets.filter((rs) =>
    rs.metadata.ownerReferences.some((o) => o.uid === deployment.metadata.uid || (o.kind === "Deployment" && o.name === deployment.metadata.name)),
  );
  if (owned.length === 0) return view;
  const current =
    owned.find((rs) => rs.metadata.annotations[REVISION_ANNOTATION] === view.revision) ??
    owned.reduce((a, b) => ((a.metadata.creationTimestamp ?? "") > (b.metadata.creationTimestamp ?? "") ? a : b));
  return {
    ...view,
    lastRollout: {
      revision: current.metadata.annotations[REVISION_ANNOTATION],
      replicaSet: current.metadata.name,
      at: current.metadata.creationTimestamp,
      images: current.spec.images,
    },
  };
}

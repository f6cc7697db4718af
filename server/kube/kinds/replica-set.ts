import "server-only";

import type { RawObject } from "../watch-stream";
import { interned, type CachedKind, type MetadataSlimmer, type ObjectMeta, type Raw } from "./slimming";

export interface ReplicaSetObject {
  kind: "ReplicaSet";
  metadata: ObjectMeta;
  spec: { replicas: number; images: string[] };
  status: { replicas: number; readyReplicas: number; availableReplicas: number };
}

function slimReplicaSet(raw: RawObject, slimMetadata: MetadataSlimmer): ReplicaSetObject {
  const r = raw as Raw;
  return {
    kind: "ReplicaSet",
    metadata: slimMetadata(raw, { owners: "kind-name-uid", uniqueName: true }),
    spec: { replicas: r.spec?.replicas ?? 0, images: ((r.spec?.template?.spec?.containers ?? []) as Raw[]).map((c) => interned(c.image)) },
    status: { replicas: r.status?.replicas ?? 0, readyReplicas: r.status?.readyReplicas ?? 0, availableReplicas: r.status?.availableReplicas ?? 0 },
  };
}

export const replicaSetKind: CachedKind<ReplicaSetObject> = { path: "/apis/apps/v1/replicasets", slim: slimReplicaSet };

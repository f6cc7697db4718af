import "server-only";

import type { RawObject } from "../watch-stream";
import type { CachedKind, MetadataSlimmer, ObjectMeta, Raw } from "./slimming";

export interface NodeObject {
  kind: "Node";
  metadata: ObjectMeta;
  spec: { unschedulable: boolean };
  status: { ready: "True" | "False" | "Unknown"; readySince?: string; capacity: Record<string, string>; allocatable: Record<string, string> };
}

function slimNode(raw: RawObject, slimMetadata: MetadataSlimmer): NodeObject {
  const r = raw as Raw;
  const ready = ((r.status?.conditions ?? []) as Raw[]).find((c) => c.type === "Ready");
  return {
    kind: "Node",
    metadata: slimMetadata(raw),
    spec: { unschedulable: Boolean(r.spec?.unschedulable) },
    status: {
      ready: ready?.status === "True" ? "True" : ready?.status === "False" ? "False" : "Unknown",
      readySince: ready?.lastTransitionTime,
      capacity: { ...(r.status?.capacity ?? {}) },
      allocatable: { ...(r.status?.allocatable ?? {}) },
    },
  };
}

export const nodeKind: CachedKind<NodeObject> = { path: "/api/v1/nodes", slim: slimNode };

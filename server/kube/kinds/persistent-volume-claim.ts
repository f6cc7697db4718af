import "server-only";

import type { VolumeUsage } from "../cluster-store";
import type { RawObject } from "../watch-stream";
import { interned, slimConditionsOf, type CachedKind, type MetadataSlimmer, type ObjectMeta, type Raw } from "./slimming";
import type { StorageClassObject } from "./storage-class";
import type { Condition, PvcView } from "@/lib/cluster/views";

export interface PvcObject {
  kind: "PersistentVolumeClaim";
  metadata: ObjectMeta;
  spec: { storageClassName?: string; requestedStorage?: string };
  /** Conditions: the resize ones, type and status only. */
  status: { phase?: string; capacity?: string; conditions: readonly Condition[] };
}

// pvcStatus reads whether one of these is True; the expand runbook reads the resize errors' messages.
const PVC_CONDITIONS = new Set(["Resizing", "FileSystemResizePending", "ControllerResizeError", "NodeResizeError"]);
const PVC_DETAIL_WHEN_TRUE = new Set(["ControllerResizeError", "NodeResizeError"]);

function slimPvc(raw: RawObject, slimMetadata: MetadataSlimmer): PvcObject {
  const r = raw as Raw;
  return {
    kind: "PersistentVolumeClaim",
    metadata: slimMetadata(raw),
    spec: {
      storageClassName: interned(r.spec?.storageClassName) ?? undefined,
      requestedStorage: interned(r.spec?.resources?.requests?.storage),
    },
    status: {
      phase: interned(r.status?.phase),
      capacity: interned(r.status?.capacity?.storage),
      conditions: slimConditionsOf(r.status?.conditions, PVC_CONDITIONS, { onlyTrue: true, detailWhenTrue: PVC_DETAIL_WHEN_TRUE }),
    },
  };
}

export const pvcKind: CachedKind<PvcObject> = { path: "/api/v1/persistentvolumeclaims", slim: slimPvc };

function baseStatus(pvc: PvcObject) {
  return {
    name: pvc.metadata.name,
    namespace: pvc.metadata.namespace ?? "",
    phase: pvc.status.phase ?? "Pending",
    storageClass: pvc.spec.storageClassName,
    requested: pvc.spec.requestedStorage,
    capacity: pvc.status.capacity,
    resizing: pvc.status.conditions.some((c) => (c.type === "Resizing" || c.type === "FileSystemResizePending") && c.status === "True"),
    createdAt: pvc.metadata.creationTimestamp,
  };
}

export function pvcStatus(pvc: PvcObject, storageClass: StorageClassObject | undefined, usage: VolumeUsage | undefined): PvcView {
  const base = baseStatus(pvc);
  const usedPercent = usage && usage.capacityBytes > 0 ? Math.round((usage.usedBytes / usage.capacityBytes) * 1000) / 10 : undefined;
  return {
    ...base,
    storageClassExists: base.storageClass ? storageClass !== undefined : true,
    expandable: storageClass?.allowVolumeExpansion,
    usedBytes: usage?.usedBytes,
    capacityBytes: usage?.capacityBytes,
    usedPercent,
    usageObservedAt: usage?.observedAt,
  };
}

import type { VolumeUsage } from "../cluster-store";
import type { PvcObject, StorageClassObject } from "../objects";
import type { PvcView } from "@/lib/cluster/views";


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
  const usedPercent =
    usage && usage.capacityBytes > 0 ? Math.round((usage.usedBytes / usage.capacityBytes) * 1000) / 10 : undefined;
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

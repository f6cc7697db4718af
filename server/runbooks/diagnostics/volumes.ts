import "server-only";

import type { VolumeUsage } from "@/server/kube/cluster-store";
import { formatBytes, textTable } from "./text-table";

/**
 * volumes.txt: each claim's usage as the portal's cache last read it from the kubelet's volume
 * stats (no request is made for it: the numbers are the ones the portal's bars show). It changes
 * nothing in the cluster, so it has no dry-run preview: the diagnostics runbook's archive is read-only.
 */
export function formatVolumes(claims: readonly string[], usageOf: (pvc: string) => VolumeUsage | undefined): string {
  if (claims.length === 0) return "No PersistentVolumeClaims in the namespace.\n";
  const rows = claims.map((pvc) => {
    const usage = usageOf(pvc);
    if (!usage) return [pvc, "?", "?", "?", "no kubelet volume stats for this claim (not mounted, or stats not read yet)"];
    const percent = usage.capacityBytes > 0 ? `${((usage.usedBytes / usage.capacityBytes) * 100).toFixed(1)}%` : "?";
    return [pvc, formatBytes(usage.usedBytes), formatBytes(usage.capacityBytes), percent, usage.observedAt];
  });
  return textTable(["PVC", "USED", "CAPACITY", "USED%", "OBSERVED"], rows);
}

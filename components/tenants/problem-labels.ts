import type { ProblemKind } from "@/lib/tenants/types";

/** Plain-words names for problem kinds, for filters and badges. */
export const PROBLEM_LABELS: Record<ProblemKind, string> = {
  "crash-loop": "Crash loop",
  "oom-killed": "Out of memory",
  "image-pull": "Image pull failing",
  unschedulable: "Cannot be scheduled",
  "pvc-pending": "Volume pending",
  "volume-full": "Volume nearly full",
  "rollout-stuck": "Rollout stuck",
  "backup-failed": "Backup failed",
  "missing-workload": "Workload missing",
  "orphan-workload": "Orphan workload",
  "not-ready": "Not ready",
  "node-lost": "Node lost",
};

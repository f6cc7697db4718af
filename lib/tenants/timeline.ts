/** What a tenant's timeline merges: the cluster's events, runbook runs, migration steps, registry changes. */
export const TIMELINE_KINDS = ["kubernetes", "runbook", "migration", "registry"] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const TIMELINE_KIND_LABELS: Record<TimelineKind, string> = {
  kubernetes: "Kubernetes events",
  runbook: "Runbook runs",
  migration: "Migration steps",
  registry: "Registry changes",
};

export const TIMELINE_MAX_ENTRIES = 200;

export type TimelineTone = "normal" | "success" | "warning" | "danger";

export interface TimelineEntry {
  /** Unique within the timeline: the kind and the source row or object. */
  id: string;
  kind: TimelineKind;
  /** ISO time the entry happened (an event's last occurrence, a run's end...). */
  at: string;
  title: string;
  detail?: string;
  /** Who did it, when a person, a token or a wave did. */
  actor?: string;
  tone: TimelineTone;
  /** A page with more (the run's page). */
  href?: string;
}

export interface TenantTimeline {
  entries: TimelineEntry[];
  /** Entries of each kind before the filter and the limit. */
  counts: Record<TimelineKind, number>;
  /** More entries matched than `limit` allowed. */
  truncated: boolean;
}

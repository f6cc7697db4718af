import "server-only";

import { TENANT_MIGRATION_STATE_LABELS } from "@/lib/migration/tenant-states";
import { tenantMigrationStateSchema } from "@/lib/migration/tenant-state-schemas";
import { TIMELINE_KINDS, TIMELINE_MAX_ENTRIES, type TenantTimeline, type TimelineEntry, type TimelineKind, type TimelineTone } from "@/lib/tenants/timeline";
import type { EventView } from "@/lib/tenants/types";

/**
 * A tenant's timeline: one time-ordered list (newest first) merged from four sources, each given
 * as plain rows. Pure (no I/O, no clock), so the merge, the ordering and the filter are unit-tested.
 */

export interface TimelineRun {
  id: string;
  runbookId: string;
  title: string;
  state: string;
  message: string | null;
  requestedByEmail: string;
  requestedAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
}

export interface TimelineMigrationStep {
  id: string;
  at: Date;
  fromState: string;
  toState: string;
  actorEmail: string;
  via: string;
  reason: string | null;
  evidence: string | null;
}

export interface TimelineRegistryChange {
  id: string;
  at: Date;
  /** "created" (the instance's creation time in the registry) or "updated" (its record was last written). */
  change: "created" | "updated";
  actor?: string;
  detail?: string;
}

export interface TimelineSources {
  events: EventView[];
  runs: TimelineRun[];
  migrationSteps: TimelineMigrationStep[];
  registry: TimelineRegistryChange[];
}

const RUN_TONE: Record<string, TimelineTone> = {
  succeeded: "success",
  failed: "danger",
  "timed-out": "danger",
  interrupted: "warning",
  rejected: "warning",
  cancelled: "normal",
};

function stateLabel(state: string): string {
  const parsed = tenantMigrationStateSchema.safeParse(state);
  return parsed.success ? TENANT_MIGRATION_STATE_LABELS[parsed.data] : state === "native" ? TENANT_MIGRATION_STATE_LABELS.native : state;
}

function eventEntries(events: EventView[]): TimelineEntry[] {
  return events.flatMap((event, index) => {
    const at = event.lastSeen ?? event.firstSeen;
    if (!at) return [];
    const object = `${event.object.kind}/${event.object.name}`;
    return [
      {
        id: `kubernetes:${object}:${event.reason}:${at}:${index}`,
        kind: "kubernetes" as const,
        at: new Date(at).toISOString(),
        title: `${event.reason || "Event"} on ${object}`,
        detail: event.count > 1 ? `${event.message} (${event.count} times)` : event.message,
        actor: event.source,
        tone: event.type === "Warning" ? ("warning" as const) : ("normal" as const),
      },
    ];
  });
}

function runEntries(runs: TimelineRun[]): TimelineEntry[] {
  return runs.map((run) => ({
    id: `runbook:${run.id}`,
    kind: "runbook",
    at: (run.endedAt ?? run.startedAt ?? run.requestedAt).toISOString(),
    title: `${run.title}: ${run.state}`,
    detail: run.message ?? undefined,
    actor: run.requestedByEmail,
    tone: RUN_TONE[run.state] ?? "normal",
    href: `/runs/${run.id}`,
  }));
}

function migrationEntries(steps: TimelineMigrationStep[]): TimelineEntry[] {
  return steps.map((step) => ({
    id: `migration:${step.id}`,
    kind: "migration",
    at: step.at.toISOString(),
    title: `Migration: ${stateLabel(step.fromState)} → ${stateLabel(step.toState)}`,
    detail: [step.reason, step.evidence].filter(Boolean).join(" · ") || undefined,
    actor: `${step.actorEmail} (${step.via})`,
    tone: step.toState === "rolled-back" ? "danger" : step.toState === "done" ? "success" : "normal",
  }));
}

function registryEntries(changes: TimelineRegistryChange[]): TimelineEntry[] {
  return changes.map((change) => ({
    id: `registry:${change.id}`,
    kind: "registry",
    at: change.at.toISOString(),
    title: change.change === "created" ? "Instance created (registry)" : "Registry record last changed",
    detail: change.detail,
    actor: change.actor,
    tone: "normal",
  }));
}

/** Newest first; entries at the same instant keep a stable order (by id). */
export function mergeTimeline(sources: TimelineSources, options: { kinds?: readonly TimelineKind[]; limit?: number } = {}): TenantTimeline {
  const byKind: Record<TimelineKind, TimelineEntry[]> = {
    kubernetes: eventEntries(sources.events),
    runbook: runEntries(sources.runs),
    migration: migrationEntries(sources.migrationSteps),
    registry: registryEntries(sources.registry),
  };
  const counts = Object.fromEntries(TIMELINE_KINDS.map((kind) => [kind, byKind[kind].length])) as Record<TimelineKind, number>;
  const wanted = options.kinds?.length ? new Set(options.kinds) : new Set(TIMELINE_KINDS);
  const merged = TIMELINE_KINDS.filter((kind) => wanted.has(kind))
    .flatMap((kind) => byKind[kind])
    .sort((a, b) => b.at.localeCompare(a.at) || a.id.localeCompare(b.id));
  const limit = options.limit ?? TIMELINE_MAX_ENTRIES;
  return { entries: merged.slice(0, limit), counts, truncated: merged.length > limit };
}

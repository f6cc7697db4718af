"use client";

import clsx from "clsx";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { TIMELINE_KIND_LABELS, TIMELINE_KINDS, type TimelineKind, type TimelineTone } from "@/lib/tenants/timeline";
import { useTRPC } from "@/components/trpc/client";
import { userMessageOf } from "@/components/trpc/error-message";
import { Alert } from "@/components/ui/alert";
import { Panel } from "./panel";
import { RelativeTime } from "./relative-time";

const TONE_DOT: Record<TimelineTone, string> = {
  normal: "bg-slate-400",
  success: "bg-emerald-500",
  warning: "bg-amber-500",
  danger: "bg-red-600",
};

/** Re-read while the page is open: events and runs arrive without a reload. */
const REFRESH_MS = 5_000;

/**
 * The tenant's timeline: Kubernetes events, runbook runs, migration steps and registry changes,
 * newest first, filtered by kind (kept in the page's state: the tenant page's URL is the tenant).
 */
export function TenantTimeline({ id }: { id: string }) {
  const trpc = useTRPC();
  const [kinds, setKinds] = useState<TimelineKind[]>([]);
  const query = useQuery({
    ...trpc.tenants.timeline.queryOptions({ id, kinds: kinds.length ? kinds : undefined }),
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
  });
  const toggle = (kind: TimelineKind) => setKinds((current) => (current.includes(kind) ? current.filter((k) => k !== kind) : [...current, kind]));
  const counts = query.data?.counts;

  return (
    <Panel title="Timeline" data-testid="tenant-timeline" className="mt-4" actions={<span className="text-xs text-slate-500">newest first</span>}>
      <div role="group" aria-label="Show in the timeline" className="mb-3 flex flex-wrap gap-1.5">
        <FilterButton pressed={kinds.length === 0} onClick={() => setKinds([])} testId="timeline-filter-all">
          All
        </FilterButton>
        {TIMELINE_KINDS.map((kind) => (
          <FilterButton key={kind} pressed={kinds.includes(kind)} onClick={() => toggle(kind)} testId={`timeline-filter-${kind}`}>
            {TIMELINE_KIND_LABELS[kind]}
            {counts ? <span className="ml-1 tabular-nums text-slate-500">{counts[kind]}</span> : null}
          </FilterButton>
        ))}
      </div>
      {query.isError ? (
        <Alert tone="danger">{userMessageOf(query.error)}</Alert>
      ) : !query.data ? (
        <p className="text-sm text-slate-600" aria-busy="true">
          Loading the timeline…
        </p>
      ) : query.data.entries.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="timeline-empty">
          Nothing to show{kinds.length ? " for this filter" : ""}.
        </p>
      ) : (
        <ol className="space-y-2" data-testid="timeline-entries" aria-busy={query.isPlaceholderData}>
          {query.data.entries.map((entry) => (
            <li key={entry.id} className="flex gap-3 text-sm" data-testid="timeline-entry" data-kind={entry.kind}>
              <span aria-hidden className={clsx("mt-1.5 size-2 shrink-0 rounded-full", TONE_DOT[entry.tone])} />
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-baseline gap-x-2">
                  <span className="text-xs font-medium uppercase tracking-wide text-slate-500">{TIMELINE_KIND_LABELS[entry.kind]}</span>
                  {entry.href ? (
                    <Link href={entry.href} className="font-medium text-blue-700 hover:underline">
                      {entry.title}
                    </Link>
                  ) : (
                    <span className="font-medium text-slate-900">{entry.title}</span>
                  )}
                  <span className="text-xs text-slate-500">
                    <RelativeTime iso={entry.at} />
                    {entry.actor ? ` · ${entry.actor}` : ""}
                  </span>
                </div>
                {entry.detail ? <p className="break-words text-slate-600">{entry.detail}</p> : null}
              </div>
            </li>
          ))}
        </ol>
      )}
      {query.data?.truncated ? <p className="mt-2 text-xs text-slate-500">Showing the newest {query.data.entries.length} entries.</p> : null}
    </Panel>
  );
}

function FilterButton({ pressed, onClick, testId, children }: { pressed: boolean; onClick: () => void; testId: string; children: ReactNode }) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      onClick={onClick}
      data-testid={testId}
      className={clsx(
        "rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset",
        pressed ? "bg-blue-50 text-blue-800 ring-blue-300" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50",
      )}
    >
      {children}
    </button>
  );
}

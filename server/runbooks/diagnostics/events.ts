import "server-only";

// Read-only, like all of collect-diagnostics: it sends no mutation, so there is no dry-run preview to make
// (the runbook engine previews every mutating runbook; this one is a download, see server/runbooks/index.ts).

import type { RawObject } from "@/server/kube/watch-stream";
import { oneLine, textTable } from "./text-table";

/** The fields of a core/v1 (or events.k8s.io-shaped) Event that events.txt prints. */
interface EventFields {
  type?: string;
  reason?: string;
  message?: string;
  note?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  involvedObject?: { kind?: string; name?: string };
  regarding?: { kind?: string; name?: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  metadata?: { name?: string; creationTimestamp?: string };
}

/** When an event was last seen, by the first time field it has (newer events fill only eventTime or series). */
function lastSeen(event: RawObject): string | undefined {
  const e = event as EventFields;
  return e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? undefined;
}

/**
 * The namespace's events oldest first (the way to read what happened), as `kubectl get events
 * -o wide` would print them but with absolute UTC times: an archive is read later, when "5m ago"
 * means nothing.
 */
export function formatEvents(events: readonly RawObject[]): string {
  if (events.length === 0) return "No events in the namespace (Kubernetes keeps them about an hour).\n";
  const rows = [...events]
    .map((event) => ({ event: event as EventFields, at: lastSeen(event) ?? "" }))
    .sort((a, b) => a.at.localeCompare(b.at) || (a.event.metadata?.name ?? "").localeCompare(b.event.metadata?.name ?? ""))
    .map(({ event, at }) => {
      const object = event.involvedObject ?? event.regarding ?? {};
      return [
        at || "<unknown>",
        event.type ?? "",
        event.reason ?? "",
        `${(object.kind ?? "").toLowerCase()}/${object.name ?? ""}`,
        String(event.series?.count ?? event.count ?? 1),
        event.source?.component ?? event.reportingComponent ?? "",
        oneLine(event.message ?? event.note),
      ];
    });
  return textTable(["LAST SEEN", "TYPE", "REASON", "OBJECT", "COUNT", "SOURCE", "MESSAGE"], rows);
}

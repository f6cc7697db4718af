"use client";

import clsx from "clsx";
import type { LiveStatus } from "@/components/live/live-connection";
import { LiveDataAge } from "@/components/live/live-data-age";
import type { FleetSummary } from "@/lib/tenants/types";
import { useNow } from "@/components/tenants/relative-time";
import { formatAbsolute, formatClock, formatRelative } from "@/components/tenants/time-format";

type WatchFreshness = FleetSummary["freshness"][number];

/** A watch stale for longer than this turns the banner from amber to red. */
const LONG_STALE_MS = 5 * 60_000;

/**
 * Says whether what the page shows is live. When this browser loses its update stream, or a watch
 * on the server is down, the page keeps the last known data, and this banner says since when and
 * why, so nobody acts on a picture that stopped moving.
 */
export function CacheFreshness({
  freshness,
  receivedAt,
  connection,
}: {
  freshness: FleetSummary["freshness"];
  /** When the browser last received data (ms since epoch). */
  receivedAt: number;
  /** This browser's live-update stream. */
  connection: LiveStatus;
}) {
  const now = useNow();
  // A feed that failed or stopped is stale; one that has simply not finished its first list yet
  // (right after start-up) is loading, which is not a reason to alarm anyone.
  const stale = freshness.filter((watch) => watch.staleSince !== undefined || watch.error !== undefined);
  const loading = freshness.filter((watch) => !watch.synced && watch.staleSince === undefined && watch.error === undefined);
  // With several clusters each line names its cluster, and the heading says which are stale.
  const clusters = clusterNames(freshness);
  const staleClusters = clusterNames(stale);
  const liveClusters = clusters.filter((name) => !staleClusters.includes(name));
  if (connection.state === "reconnecting") {
    // What the server said last is as old as the stream: the stale watches it named are listed,
    // but nothing here can say whether they recovered.
    return (
      <div
        data-testid="cache-freshness"
        data-state="reconnecting"
        role="status"
        className="basis-full rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900"
      >
        <p className="flex flex-wrap items-center gap-x-2 font-medium">
          <span aria-hidden className="size-2 animate-pulse rounded-full bg-amber-500" />
          <span>Reconnecting…</span>
          <span className="font-normal">
            {connection.offline ? "This browser is offline. " : "Live updates stopped arriving. "}Showing <LiveDataAge since={connection.since} />.
          </span>
        </p>
        {stale.length > 0 && (
          <ul className="mt-1 list-disc pl-5">
            {groupByCause(stale, clusters.length > 1).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  if (stale.length === 0 && loading.length > 0) {
    return (
      <p data-testid="cache-freshness" data-state="loading" role="status" className="flex items-center gap-2 text-sm text-slate-600">
        <span aria-hidden className="size-2 animate-pulse rounded-full bg-blue-500" />
        Loading cluster data
        {clusters.length > 1 ? ` of ${clusterNames(loading).join(", ")}` : ""}: {[...new Set(loading.map((watch) => describeFeed(watch.kind)))].join(", ")}…
      </p>
    );
  }
  if (stale.length === 0) {
    return (
      <p data-testid="cache-freshness" data-state="live" role="status" className="flex items-center gap-2 text-sm text-slate-600">
        <span aria-hidden className={clsx("size-2 rounded-full", connection.state === "live" ? "animate-pulse bg-green-600" : "bg-slate-400")} />
        <span>
          {connection.state === "live" ? "Live" : "Connecting to live updates…"} · updated{" "}
          <time dateTime={new Date(receivedAt).toISOString()} title={formatAbsolute(new Date(receivedAt).toISOString())} suppressHydrationWarning>
            {formatRelative(new Date(receivedAt).toISOString(), now)}
          </time>
        </span>
      </p>
    );
  }
  const oldest = stale
    .map((watch) => watch.staleSince ?? watch.lastEventAt ?? undefined)
    .filter((since): since is string => Boolean(since))
    .sort()[0];
  const severe = !oldest || now - Date.parse(oldest) > LONG_STALE_MS || stale.some((watch) => !watch.synced);
  return (
    <div
      data-testid="cache-freshness"
      data-state="stale"
      role="alert"
      className={clsx(
        "basis-full rounded-lg border px-4 py-3 text-sm",
        severe ? "border-red-300 bg-red-50 text-red-900" : "border-amber-300 bg-amber-50 text-amber-900",
      )}
    >
      <p className="font-medium">
        {clusters.length > 1 ? `Cluster ${staleClusters.join(", ")} ${staleClusters.length === 1 ? "is" : "are"} stale` : "Cluster data is stale"}
        {oldest ? (
          <>
            {" "}
            since{" "}
            <time dateTime={oldest} title={formatAbsolute(oldest)}>
              {formatClock(oldest)}
            </time>
          </>
        ) : null}
        . Showing the last known state{clusters.length > 1 && staleClusters.length === 1 ? " of its tenants" : ""}
        {liveClusters.length > 0 && clusters.length > 1 ? `; ${liveClusters.join(", ")} ${liveClusters.length === 1 ? "is" : "are"} live` : ""}.
      </p>
      <ul className="mt-1 list-disc pl-5">
        {groupByCause(stale, clusters.length > 1).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  );
}

function describeFeed(kind: string): string {
  // Volume usage is polled from the kubelet stats rather than watched; name it by what it feeds.
  return kind === "volume-stats" ? "volume usage (kubelet stats)" : kind;
}

/**
 * One line per cause, so an API outage reads as one sentence rather than a dozen; each line names
 * its watches and since when the first of them is stale.
 */
function groupByCause(stale: WatchFreshness[], nameClusters = false): string[] {
  const groups = new Map<string, { feeds: string[]; since?: string }>();
  for (const watch of stale) {
    const state = watch.synced ? "reconnecting" : "not loaded yet";
    const key = `${state}\u0000${watch.error ?? ""}\u0000${nameClusters ? (watch.cluster ?? "") : ""}`;
    const group = groups.get(key) ?? { feeds: [] };
    group.feeds.push(describeFeed(watch.kind));
    if (watch.staleSince && (!group.since || watch.staleSince < group.since)) group.since = watch.staleSince;
    groups.set(key, group);
  }
  return [...groups.entries()].map(([key, { feeds, since }]) => {
    const [state, error, cluster] = key.split("\u0000");
    const subject = feeds.length === 1 ? `Watch for ${feeds[0]} is` : `Watches for ${feeds.join(", ")} are`;
    return `${cluster ? `${cluster}: ` : ""}${subject} ${state}${since ? ` (stale since ${formatClock(since)})` : ""}${error ? `: ${error}` : "."}`;
  });
}

/** The clusters the feeds belong to, in order of first mention (none named: one unnamed cluster). */
function clusterNames(feeds: WatchFreshness[]): string[] {
  return [...new Set(feeds.map((feed) => feed.cluster).filter((name): name is string => Boolean(name)))];
}

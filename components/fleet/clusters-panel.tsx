import Link from "next/link";
import clsx from "clsx";
import type { ClusterOverview } from "@/lib/tenants/types";
import { formatAbsolute, formatClock } from "@/components/tenants/time-format";
import { fleetParamsToSearch } from "./fleet-params";

const STATE_STYLE: Record<ClusterOverview["state"], { dot: string; label: string }> = {
  live: { dot: "bg-green-600", label: "Live" },
  stale: { dot: "bg-amber-500", label: "Stale" },
  loading: { dot: "bg-blue-500 animate-pulse", label: "Loading" },
  "not-connected": { dot: "bg-slate-400", label: "Not connected" },
};

/**
 * Every cluster with its watch state and tenant count: one cluster down reads as that cluster's
 * row, not as the whole fleet. Each name narrows the overview to it (toggling it in the URL's
 * filter); the count opens the tenants list of that cluster.
 */
export function ClustersPanel({ clusters, selected }: { clusters: ClusterOverview[]; selected: string[] }) {
  return (
    <ul className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3" aria-label="Clusters" data-testid="clusters-panel">
      {clusters.map((cluster) => {
        const style = STATE_STYLE[cluster.state];
        const active = selected.includes(cluster.name);
        const next = active ? selected.filter((name) => name !== cluster.name) : [...selected, cluster.name];
        return (
          <li
            key={cluster.name}
            data-testid={`cluster-${cluster.name}`}
            data-state={cluster.state}
            className={clsx("min-w-0 rounded-lg border bg-white px-3 py-2", active ? "border-blue-500 ring-1 ring-blue-500" : "border-slate-200")}
          >
            <div className="flex min-w-0 items-center justify-between gap-2">
              <Link
                href={`/${fleetParamsToSearch({ cluster: next })}`}
                aria-pressed={active}
                aria-label={`${active ? "Stop showing only" : "Show only"} cluster ${cluster.name}`}
                className="truncate font-mono text-sm font-medium text-blue-700 hover:underline"
                scroll={false}
              >
                {cluster.name}
              </Link>
              <Link
                href={`/tenants?cluster=${encodeURIComponent(cluster.name)}`}
                className="shrink-0 font-mono text-sm tabular-nums text-slate-700 hover:underline"
                aria-label={`${cluster.tenants} tenants in cluster ${cluster.name}, show them`}
              >
                {cluster.tenants.toLocaleString("en-US")}
              </Link>
            </div>
            <p className="mt-0.5 flex items-baseline gap-1.5 text-xs text-slate-600">
              <span aria-hidden className={clsx("size-2 shrink-0 translate-y-px rounded-full", style.dot)} />
              <span className="min-w-0" title={cluster.error}>
                {style.label}
                {cluster.staleSince && (
                  <>
                    {" "}
                    since{" "}
                    <time dateTime={cluster.staleSince} title={formatAbsolute(cluster.staleSince)}>
                      {formatClock(cluster.staleSince)}
                    </time>
                  </>
                )}
                {cluster.state === "stale" && " · its tenants show their last known state"}
                {cluster.state === "not-connected" && " · registry tenants name it; the portal has no connection to it"}
              </span>
            </p>
          </li>
        );
      })}
    </ul>
  );
}

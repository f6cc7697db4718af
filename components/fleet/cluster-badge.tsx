import clsx from "clsx";
import type { ClusterOverview } from "@/lib/tenants/types";

/** Which cluster a tenant (or an orphan) runs in: shown where the portal reads more than one. */
export function ClusterBadge({ name, className }: { name: string; className?: string }) {
  return (
    <span
      data-testid="cluster-badge"
      title={`Cluster ${name}`}
      className={clsx(
        "inline-flex max-w-32 items-center truncate rounded bg-slate-100 px-1.5 py-0.5 font-mono text-[11px] leading-4 text-slate-700 ring-1 ring-inset ring-slate-300",
        className,
      )}
    >
      <span className="sr-only">cluster </span>
      {name}
    </span>
  );
}

/** Whether the cluster UI (column badge, filter, clusters panel) means anything: more than one cluster in sight. */
export function showsClusters(clusters: readonly ClusterOverview[]): boolean {
  return clusters.length > 1;
}

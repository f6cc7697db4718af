"use client";

import Link from "next/link";
import { useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import dynamic from "next/dynamic";
import { Skeleton } from "@/components/ui/skeleton";
import { DocumentTitle } from "@/components/layout/document-title";
import { fleetPageTitle } from "@/components/layout/page-title";
import { useLiveSubscription } from "@/components/live/use-live-connection";
import { useTRPC } from "@/components/trpc/client";
import { Panel } from "@/components/tenants/panel";
import { LinkProblems } from "@/components/ui/link-problems";
import { unacknowledgedCount } from "@/lib/tenants/acknowledgements";
import type { FleetSummaryInput } from "@/lib/tenants/tenant-list";
import { AttentionTable } from "./attention-table";
import { CacheFreshness } from "./cache-freshness";
import { showsClusters } from "./cluster-badge";
import { ClustersPanel } from "./clusters-panel";
import { fleetSummaryInput } from "./fleet-params";
import { HealthTiles } from "./health-tiles";
import { OrphanWorkloads } from "./orphan-workloads";
import { StoragePressure } from "./storage-pressure";

// recharts is most of a chart page's JS: fetched after the page is interactive, in the chart's own
// chunk, the space kept by a skeleton of the chart's height (issue 14's JS budget).
const FleetHealthChart = dynamic(() => import("./fleet-health-chart").then((chart) => chart.FleetHealthChart), {
  ssr: false,
  loading: () => <Skeleton className="h-60 w-full" />,
});

export function FleetOverview({
  params,
  problems,
  canAcknowledge = false,
}: {
  /** The URL's cluster filter, parsed on the server (parse-fleet-params.ts). */
  params: Required<FleetSummaryInput>;
  problems: string[];
  canAcknowledge?: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: fleet, dataUpdatedAt } = useSuspenseQuery(trpc.fleet.summary.queryOptions(fleetSummaryInput(params)));
  // A tick says "something changed"; refetching the summary is cheaper than shipping deltas.
  // cancelRefetch: false lets a burst of ticks share one in-flight request.
  const refetch = () => void queryClient.invalidateQueries(trpc.fleet.pathFilter(), { cancelRefetch: false });
  const live = useSubscription(trpc.fleet.onChange.subscriptionOptions(undefined, { onData: refetch }));
  // Ticks missed while the stream was down are not replayed: read the summary again instead.
  const connection = useLiveSubscription(live, { onResumed: refetch });
  // The tab and the panel count what still shouts; acknowledged problems are listed, muted, below.
  const open = unacknowledgedCount(fleet.attention);
  const acknowledged = fleet.attention.length - open;
  const showCluster = showsClusters(fleet.clusters);
  const narrowed = params.cluster.length > 0;

  return (
    <div className="space-y-4">
      <DocumentTitle title={fleetPageTitle(unacknowledgedCount(fleet.attention))} />
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-xl font-semibold text-slate-900">Fleet overview</h1>
          <p className="text-sm text-slate-600">
            {fleet.total.toLocaleString("en-US")} tenants in the registry and{" "}
            {narrowed ? `cluster ${params.cluster.join(", ")}` : showCluster ? `${fleet.clusters.length} clusters` : "the cluster"}
            {narrowed && (
              <>
                {" · "}
                <Link href="/" className="text-blue-700 hover:underline" scroll={false}>
                  all clusters
                </Link>
              </>
            )}
          </p>
        </div>
        <CacheFreshness freshness={fleet.freshness} receivedAt={dataUpdatedAt} connection={connection} />
      </div>

      <LinkProblems problems={problems} />

      {(showCluster || narrowed) && (
        <Panel title="Clusters" actions={<span className="text-xs text-slate-500">pick one to narrow the overview</span>}>
          <ClustersPanel clusters={fleet.clusters} selected={params.cluster} />
        </Panel>
      )}

      <div className="grid gap-4 lg:grid-cols-5">
        <Panel title="Tenants by health" className="lg:col-span-3">
          <FleetHealthChart byHealth={fleet.byHealth} total={fleet.total} />
        </Panel>
        <Panel title="Health counts" className="lg:col-span-2">
          <HealthTiles byHealth={fleet.byHealth} clusters={params.cluster} />
        </Panel>
      </div>

      <Panel
        title="Needs attention now"
        actions={
          <span className="text-xs text-slate-500">
            {open} {open === 1 ? "problem" : "problems"}
            {acknowledged > 0 && `, ${acknowledged} acknowledged`}
          </span>
        }
      >
        <AttentionTable attention={fleet.attention} canAcknowledge={canAcknowledge} showCluster={showCluster} />
      </Panel>

      <div className="grid gap-4 lg:grid-cols-2">
        <Panel title="Storage pressure" actions={<span className="text-xs text-slate-500">fullest volumes first</span>}>
          <StoragePressure volumes={fleet.storagePressure} />
        </Panel>
        <Panel title="Orphan workloads" actions={<span className="text-xs text-slate-500">no registry record</span>}>
          <OrphanWorkloads orphans={fleet.orphans} showCluster={showCluster} />
        </Panel>
      </div>
    </div>
  );
}

"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useCallback, useOptimistic, useState, useTransition } from "react";
import { useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { CacheFreshness } from "@/components/fleet/cache-freshness";
import { canRunRunbooks, type RunbookViewer } from "@/components/runbooks/viewer";
import { Button } from "@/components/ui/button";
import { useLiveSubscription } from "@/components/live/use-live-connection";
import { useTRPC } from "@/components/trpc/client";
import { showsClusters } from "@/components/fleet/cluster-badge";
import type { ClusterOverview, TenantListFacets } from "@/lib/tenants/types";
import { HEALTH_STYLE } from "./health-style";
import { PROBLEM_LABELS } from "./problem-labels";
import { FilterMenu, type FilterOption } from "./filter-menu";
import { TenantsPagination } from "./tenants-pagination";
import { TenantsSearch } from "./tenants-search";
import { TenantsTable } from "./tenants-table";
import { OrphanMatches } from "./orphan-matches";
import { LinkProblems } from "@/components/ui/link-problems";
import {
  BILLING_STATUS_VALUES,
  FILTER_LABELS,
  HEALTH_FILTER_VALUES,
  INSTANCE_TYPE_VALUES,
  PROBLEM_FILTER_VALUES,
  tenantListParamsToSearch,
  type TenantFilterName,
  type TenantListParams,
} from "./tenant-list-params";

// The dialog (with the batch inputs' zod schemas) is its own chunk, fetched when it first opens.
const BatchDialog = dynamic(() => import("@/components/runbooks/batches/batch-dialog").then((module) => module.BatchDialog), { ssr: false });

/** `params` and `problems` are the page's reading of the URL (parse-tenant-list-params.ts, on the server). */
export function TenantsView({ params, problems, viewer }: { params: TenantListParams; problems: string[]; viewer?: RunbookViewer }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const [navigating, startNavigation] = useTransition();

  const { data: list, dataUpdatedAt } = useSuspenseQuery(trpc.tenants.list.queryOptions(params));

  const refetch = () => void queryClient.invalidateQueries(trpc.tenants.list.pathFilter(), { cancelRefetch: false });
  const live = useSubscription(trpc.fleet.onChange.subscriptionOptions(undefined, { onData: refetch }));
  // Ticks missed while the stream was down are not replayed: read the list again instead.
  const connection = useLiveSubscription(live, { onResumed: refetch });

  // Controls show the requested view at once (a ticked box stays ticked) while the server answers.
  const [shown, showOptimistically] = useOptimistic(params);

  // Every change is a history entry, so back/forward walk through the views the user saw.
  const navigate = useCallback(
    (next: Partial<TenantListParams>) => {
      const merged = { ...shown, ...next };
      startNavigation(() => {
        showOptimistically(merged);
        router.push(`${pathname}${tenantListParamsToSearch(merged)}`, { scroll: false });
      });
    },
    [shown, showOptimistically, pathname, router],
  );
  const onSearch = useCallback((q: string) => navigate({ q, page: 1 }), [navigate]);
  const [selecting, setSelecting] = useState(false);

  const filterOptions: Record<TenantFilterName, FilterOption[]> = {
    health: HEALTH_FILTER_VALUES.map((value) => ({ value, label: HEALTH_STYLE[value].label, count: facetCount(list.facets, "health", value) })),
    instanceType: INSTANCE_TYPE_VALUES.map((value) => ({ value, label: capitalise(value), count: facetCount(list.facets, "instanceType", value) })),
    billingStatus: BILLING_STATUS_VALUES.map((value) => ({ value, label: capitalise(value), count: facetCount(list.facets, "billingStatus", value) })),
    odooVersion: odooVersionOptions(list.facets, shown.odooVersion),
    problem: PROBLEM_FILTER_VALUES.map((value) => ({ value, label: PROBLEM_LABELS[value], count: facetCount(list.facets, "problem", value) })),
    cluster: clusterOptions(list.clusters, list.facets, shown.cluster),
  };
  // One cluster: no cluster badge or filter (unless a link asks for one, so it can be cleared).
  const showCluster = showsClusters(list.clusters);
  const filterNames = (Object.keys(FILTER_LABELS) as TenantFilterName[]).filter((name) => name !== "cluster" || showCluster || params.cluster.length > 0);
  const filtered = params.q || (Object.keys(FILTER_LABELS) as TenantFilterName[]).some((name) => params[name].length > 0);
  // The server clamps a page past the end (a shared link after tenants went away); say so.
  const notices = list.page === params.page ? problems : [...problems, `There is no page ${params.page}; showing page ${list.page}, the last one.`];

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div className="flex items-baseline gap-3">
          <h1 className="text-xl font-semibold text-slate-900">Tenants</h1>
          <span className="text-sm text-slate-600">
            {list.total.toLocaleString("en-US")} {filtered ? "match" : "in total"}
          </span>
          {navigating && (
            <span role="status" className="text-xs text-slate-500">
              Loading…
            </span>
          )}
        </div>
        <CacheFreshness freshness={list.freshness} receivedAt={dataUpdatedAt} connection={connection} />
      </div>

      <LinkProblems problems={notices} />

      <div className="flex flex-wrap items-center gap-2" role="search" aria-label="Search and filter tenants">
        <TenantsSearch value={params.q} onSearch={onSearch} />
        {filterNames.map((name) => (
          <FilterMenu
            key={name}
            name={name}
            label={FILTER_LABELS[name]}
            options={filterOptions[name]}
            selected={shown[name]}
            onChange={(selected) => navigate({ [name]: selected, page: 1 } as Partial<TenantListParams>)}
          />
        ))}
        {filtered && (
          <Link href={pathname} className="px-2 text-sm text-blue-700 hover:underline">
            Clear all
          </Link>
        )}
        {canRunRunbooks(viewer) && list.total > 0 && (
          <Button className="ml-auto" onClick={() => setSelecting(true)} data-testid="run-over-selection">
            Run over {filtered ? `these ${list.total.toLocaleString("en-US")}` : `all ${list.total.toLocaleString("en-US")}`}…
          </Button>
        )}
      </div>
      {selecting && (
        <BatchDialog
          selection={{
            filter: {
              q: params.q,
              health: params.health,
              instanceType: params.instanceType,
              billingStatus: params.billingStatus,
              odooVersion: params.odooVersion,
              problem: params.problem,
              cluster: params.cluster,
              sort: params.sort,
              dir: params.dir,
            },
          }}
          onClose={() => setSelecting(false)}
        />
      )}

      {list.orphans.length > 0 && <OrphanMatches orphans={list.orphans} />}

      {list.items.length === 0 && list.orphans.length > 0 ? null : list.items.length === 0 ? (
        <div className="rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center">
          <p className="font-medium text-slate-900">{filtered ? "No tenants match this search." : "No tenants yet."}</p>
          <p className="mt-1 text-sm text-slate-600">{filtered ? "Try fewer filters or a shorter search." : "Import the tenant registry to see the fleet."}</p>
        </div>
      ) : (
        <TenantsTable
          tenants={list.items}
          sort={shown.sort}
          dir={shown.dir}
          busy={navigating}
          showCluster={showCluster}
          onSort={(sort, dir) => navigate({ sort, dir, page: 1 })}
        />
      )}

      <TenantsPagination
        page={navigating ? shown.page : list.page}
        pageSize={shown.pageSize}
        total={list.total}
        onPage={(page) => navigate({ page })}
        onPageSize={(pageSize) => navigate({ pageSize, page: 1 })}
      />
    </div>
  );
}

function facetCount(facets: TenantListFacets, name: Exclude<TenantFilterName, "odooVersion" | "cluster">, value: string): number {
  return (facets[name] as Record<string, number | undefined>)[value] ?? 0;
}

/** Versions come from the data (facets), plus any the URL asks for that no tenant has any more. */
function odooVersionOptions(facets: TenantListFacets, selected: string[]): FilterOption[] {
  const versions = new Set([...Object.keys(facets.odooVersion), ...selected]);
  return [...versions]
    .sort((a, b) => b.localeCompare(a, "en", { numeric: true }))
    .map((version) => ({ value: version, label: `Odoo ${version}`, count: facets.odooVersion[version] ?? 0 }));
}

/** Every cluster the portal reads or the registry names, plus any the URL asks for that neither knows. */
function clusterOptions(clusters: ClusterOverview[], facets: TenantListFacets, selected: string[]): FilterOption[] {
  const names = [...new Set([...clusters.map((cluster) => cluster.name), ...selected])];
  const states = new Map(clusters.map((cluster) => [cluster.name, cluster.state]));
  return names.map((name) => {
    const state = states.get(name);
    const note = state === "stale" ? " (stale)" : state === "not-connected" ? " (not connected)" : state === undefined ? " (unknown)" : "";
    return { value: name, label: `${name}${note}`, count: facets.cluster[name] ?? 0 };
  });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

"use client";

import { useQueryClient, useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { usePathname, useRouter } from "next/navigation";
import { useCallback, useTransition } from "react";

import { useLiveSubscription } from "@/components/live/use-live-connection";
import { useTRPC } from "@/components/trpc/client";
import { userMessageOf } from "@/components/trpc/error-message";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

import { runListInputOf, runListParamsToSearch, type RunListFilters } from "./run-list-params";
import { RecentBatches } from "./batches/recent-batches";
import { RunsFilters } from "./runs-filters";
import { RunsTable } from "./runs-table";
import { LinkProblems } from "@/components/ui/link-problems";

/**
 * The Runs page: URL-held filters, newest first, "Load more" by cursor, refetched when any run
 * changes. `filters` and `problems` are the page's reading of the URL (parse-run-list-params.ts,
 * on the server).
 */
export function RunsView({ filters, problems }: { filters: RunListFilters; problems: string[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const [navigating, startNavigation] = useTransition();

  const list = useSuspenseInfiniteQuery(trpc.runbooks.list.infiniteQueryOptions(runListInputOf(filters), { getNextPageParam: (page) => page.nextCursor }));
  const runs = list.data.pages.flatMap((page) => page.runs);

  const refetch = () => void queryClient.invalidateQueries(trpc.runbooks.list.pathFilter(), { cancelRefetch: false });
  const live = useSubscription(trpc.runbooks.onRunsChanged.subscriptionOptions(undefined, { onData: refetch }));
  const connection = useLiveSubscription(live, { onResumed: refetch });

  const onApply = useCallback(
    (next: RunListFilters) => startNavigation(() => router.push(`${pathname}${runListParamsToSearch(next)}`, { scroll: false })),
    [pathname, router],
  );
  const filtered = runListParamsToSearch(filters) !== "";
  const tenantName = filters.tenantId ? runs.find((run) => run.tenantId === filters.tenantId)?.tenantName : undefined;

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-xl font-semibold text-slate-900">Runs</h1>
        <span className="text-sm text-slate-600">
          {runs.length}
          {list.hasNextPage ? "+" : ""} {filtered ? "matching" : runs.length === 1 ? "run" : "runs"}
        </span>
        <span role="status" data-testid="runs-live-status" data-state={connection.state} className="text-xs text-slate-500">
          {navigating ? "Loading…" : connection.state === "live" ? "Live" : connection.state === "reconnecting" ? "Reconnecting…" : "Connecting…"}
        </span>
      </div>

      <LinkProblems problems={problems} />

      {!filtered && <RecentBatches />}

      {/* Keyed by the URL's filters, so back/forward and "Clear all" reset the form's drafts. */}
      <RunsFilters key={runListParamsToSearch(filters)} values={filters} tenantName={tenantName} clearHref={filtered ? pathname : null} onApply={onApply} />

      <RunsTable runs={runs} busy={navigating || (list.isFetching && !list.isFetchingNextPage)} filtered={filtered} />

      {list.isFetchNextPageError ? (
        <Alert tone="danger" data-testid="runs-load-more-error">
          {userMessageOf(list.error)}
        </Alert>
      ) : null}
      {list.hasNextPage ? (
        <div className="flex justify-center">
          <Button onClick={() => void list.fetchNextPage()} pending={list.isFetchingNextPage} data-testid="runs-load-more">
            Load more
          </Button>
        </div>
      ) : null}
    </div>
  );
}

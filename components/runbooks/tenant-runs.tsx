"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { Panel } from "@/components/tenants/panel";
import { RelativeTime } from "@/components/tenants/relative-time";
import { useTRPC } from "@/components/trpc/client";
import { userMessageOf } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";

import { RunStateBadge } from "./run-badges";

/** The tenant page's "Recent runs": refreshed by TenantRunbooksProvider when a run of this tenant changes. */
export function TenantRuns({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const runs = useQuery(trpc.runbooks.tenantRuns.queryOptions({ tenantId, limit: 10 }));
  return (
    <Panel
      title="Recent runs"
      data-testid="tenant-runs"
      actions={
        <Link href={`/runs?tenantId=${encodeURIComponent(tenantId)}`} className="text-xs font-medium text-blue-700 hover:underline">
          All runs of this tenant
        </Link>
      }
    >
      {runs.isPending ? (
        <div aria-busy="true" className="space-y-2">
          <Skeleton className="h-4 w-2/3" />
          <Skeleton className="h-4 w-1/2" />
        </div>
      ) : runs.error ? (
        <div role="alert" className="flex flex-wrap items-center gap-2 text-sm text-red-900">
          <span>Recent runs could not be loaded: {userMessageOf(runs.error)}</span>
          <Button size="sm" onClick={() => void runs.refetch()}>
            Try again
          </Button>
        </div>
      ) : runs.data.length === 0 ? (
        <p className="text-sm text-slate-600">No runbook has run on this tenant yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {runs.data.map((run) => (
            <li key={run.id} data-testid={`tenant-run-${run.id}`} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-1.5 text-sm">
              <Link href={`/runs/${run.id}`} className="font-medium text-blue-700 hover:underline">
                {run.title}
              </Link>
              <RunStateBadge state={run.state} />
              <span className="min-w-0 truncate text-xs text-slate-600">{run.requestedByEmail}</span>
              <span className="ml-auto text-xs text-slate-500">
                <RelativeTime iso={run.requestedAt} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

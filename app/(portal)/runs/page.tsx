import type { Metadata } from "next";
import { Suspense } from "react";

import { AccessDenied } from "@/components/layout/access-denied";
import { parseRunListParams } from "@/components/runbooks/parse-run-list-params";
import { runListInputOf, type RawSearchParams } from "@/components/runbooks/run-list-params";
import { RunsView } from "@/components/runbooks/runs-view";
import { QueryErrorBoundary } from "@/components/tenants/query-error-boundary";
import { TenantsListSkeleton } from "@/components/tenants/skeletons";
import { can } from "@/lib/auth/permissions";
import { getServerAuthSession } from "@/server/auth/session";
import { HydrateClient, prefetch, trpc } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Runs · Fleetdeck" };

export default async function RunsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const session = await getServerAuthSession();
  if (!session || !can(session.user.role, "runbook:read")) return <AccessDenied what="the Runs page" />;
  // Read here and handed to the view, so the prefetched query is the one the table reads.
  const { filters, problems } = parseRunListParams(await searchParams);
  prefetch(trpc.runbooks.list.infiniteQueryOptions(runListInputOf(filters), { getNextPageParam: (page) => page.nextCursor }));
  return (
    <HydrateClient>
      <QueryErrorBoundary>
        <Suspense fallback={<TenantsListSkeleton />}>
          <RunsView filters={filters} problems={problems} />
        </Suspense>
      </QueryErrorBoundary>
    </HydrateClient>
  );
}

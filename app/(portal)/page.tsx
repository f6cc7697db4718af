import type { Metadata } from "next";
import { Suspense } from "react";
import { FleetOverview } from "@/components/fleet/fleet-overview";
import { fleetPageTitle } from "@/components/layout/page-title";
import { QueryErrorBoundary } from "@/components/tenants/query-error-boundary";
import { FleetOverviewSkeleton } from "@/components/tenants/skeletons";
import { getQueryClient, HydrateClient, prefetch, trpc } from "@/server/trpc/server";

/** The problem count in the tab; the overview keeps it live (DocumentTitle). */
export async function generateMetadata(): Promise<Metadata> {
  try {
    const fleet = await getQueryClient().fetchQuery(trpc.fleet.summary.queryOptions());
    return { title: fleetPageTitle(fleet.attention.length) };
  } catch {
    return { title: fleetPageTitle(undefined) };
  }
}

export default function FleetOverviewPage() {
  prefetch(trpc.fleet.summary.queryOptions());
  return (
    <HydrateClient>
      <QueryErrorBoundary>
        <Suspense fallback={<FleetOverviewSkeleton />}>
          <FleetOverview />
        </Suspense>
      </QueryErrorBoundary>
    </HydrateClient>
  );
}

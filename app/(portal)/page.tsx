import type { Metadata } from "next";
import { Suspense } from "react";
import { FleetOverview } from "@/components/fleet/fleet-overview";
import { fleetSummaryInput, parseFleetParams } from "@/components/fleet/fleet-params";
import type { RawSearchParams } from "@/components/tenants/tenant-list-params";
import { fleetPageTitle } from "@/components/layout/page-title";
import { QueryErrorBoundary } from "@/components/tenants/query-error-boundary";
import { FleetOverviewSkeleton } from "@/components/tenants/skeletons";
import { can } from "@/lib/auth/permissions";
import { unacknowledgedCount } from "@/lib/tenants/acknowledgements";
import { getServerAuthSession } from "@/server/auth/session";
import { getQueryClient, HydrateClient, prefetch, trpc } from "@/server/trpc/server";

/** The problem count in the tab; the overview keeps it live (DocumentTitle). */
export async function generateMetadata(): Promise<Metadata> {
  try {
    const fleet = await getQueryClient().fetchQuery(trpc.fleet.summary.queryOptions());
    return { title: fleetPageTitle(unacknowledgedCount(fleet.attention)) };
  } catch {
    return { title: fleetPageTitle(undefined) };
  }
}

export default async function FleetOverviewPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  // Parsed exactly as the client parses them, so the prefetched query is the one the overview reads.
  const { params } = parseFleetParams(await searchParams);
  prefetch(trpc.fleet.summary.queryOptions(fleetSummaryInput(params)));
  const session = await getServerAuthSession();
  return (
    <HydrateClient>
      <QueryErrorBoundary>
        <Suspense fallback={<FleetOverviewSkeleton />}>
          <FleetOverview canAcknowledge={can(session?.user.role, "attention:acknowledge")} />
        </Suspense>
      </QueryErrorBoundary>
    </HydrateClient>
  );
}

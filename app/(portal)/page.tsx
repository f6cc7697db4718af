import type { Metadata } from "next";
import { Suspense } from "react";
import { FleetOverview } from "@/components/fleet/fleet-overview";
import { fleetSummaryInput } from "@/components/fleet/fleet-params";
import { parseFleetParams } from "@/components/fleet/parse-fleet-params";
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
  // Parsed here and handed to the overview, so the prefetched query is the one it reads (and zod stays on the server).
  const { params, problems } = parseFleetParams(await searchParams);
  prefetch(trpc.fleet.summary.queryOptions(fleetSummaryInput(params)));
  const session = await getServerAuthSession();
  return (
    <HydrateClient>
      <QueryErrorBoundary>
        <Suspense fallback={<FleetOverviewSkeleton />}>
          <FleetOverview params={params} problems={problems} canAcknowledge={can(session?.user.role, "attention:acknowledge")} />
        </Suspense>
      </QueryErrorBoundary>
    </HydrateClient>
  );
}

import { Suspense } from "react";
import { FleetOverview } from "@/components/fleet/fleet-overview";
import { QueryErrorBoundary } from "@/components/tenants/query-error-boundary";
import { FleetOverviewSkeleton } from "@/components/tenants/skeletons";
import { HydrateClient, prefetch, trpc } from "@/server/trpc/server";

export const metadata = { title: "Fleet overview · Fleetdeck" };

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

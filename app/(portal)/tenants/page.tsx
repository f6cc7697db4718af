import { Suspense } from "react";
import { QueryErrorBoundary } from "@/components/tenants/query-error-boundary";
import { TenantsListSkeleton } from "@/components/tenants/skeletons";
import { parseTenantListParams } from "@/components/tenants/parse-tenant-list-params";
import type { RawSearchParams } from "@/components/tenants/tenant-list-params";
import { TenantsView } from "@/components/tenants/tenants-view";
import { getServerAuthSession } from "@/server/auth/session";
import { HydrateClient, prefetch, trpc } from "@/server/trpc/server";

export const metadata = { title: "Tenants · Fleetdeck" };

export default async function TenantsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  // Read here and handed to the view, so the prefetched query is the one the table reads (and the
  // browser needs no parser: a change of view navigates, and this renders again).
  const [{ params, problems }, session] = await Promise.all([searchParams.then(parseTenantListParams), getServerAuthSession()]);
  prefetch(trpc.tenants.list.queryOptions(params));
  return (
    <HydrateClient>
      <QueryErrorBoundary>
        <Suspense fallback={<TenantsListSkeleton />}>
          <TenantsView params={params} problems={problems} viewer={session ? { email: session.user.email, role: session.user.role } : undefined} />
        </Suspense>
      </QueryErrorBoundary>
    </HydrateClient>
  );
}

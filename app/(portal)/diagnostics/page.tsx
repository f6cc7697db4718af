import type { Metadata } from "next";
import { Suspense } from "react";

import { ClusterDiagnostics } from "@/components/fleet/cluster-diagnostics";
import { AccessDenied } from "@/components/layout/access-denied";
import { QueryErrorBoundary } from "@/components/tenants/query-error-boundary";
import { TenantsListSkeleton } from "@/components/tenants/skeletons";
import { can } from "@/lib/auth/permissions";
import { getServerAuthSession } from "@/server/auth/session";
import { HydrateClient, prefetch, trpc } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Diagnostics · Fleetdeck" };

export default async function DiagnosticsPage() {
  const session = await getServerAuthSession();
  if (!session || !can(session.user.role, "users:manage")) return <AccessDenied what="the diagnostics page" />;
  prefetch(trpc.fleet.diagnostics.queryOptions());
  return (
    <HydrateClient>
      <QueryErrorBoundary>
        <Suspense fallback={<TenantsListSkeleton />}>
          <ClusterDiagnostics />
        </Suspense>
      </QueryErrorBoundary>
    </HydrateClient>
  );
}

import type { Metadata } from "next";
import { Suspense } from "react";

import { AccessDenied } from "@/components/layout/access-denied";
import { WavesView } from "@/components/migration/waves/waves-view";
import { QueryErrorBoundary } from "@/components/tenants/query-error-boundary";
import { TenantsListSkeleton } from "@/components/tenants/skeletons";
import { can } from "@/lib/auth/permissions";
import { getServerAuthSession } from "@/server/auth/session";
import { HydrateClient, prefetch, trpc } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Waves · Migration · Fleetdeck" };

export default async function WavesPage() {
  const session = await getServerAuthSession();
  if (!session || !can(session.user.role, "migration:read")) return <AccessDenied what="the migration waves" />;
  prefetch(trpc.migration.waves.list.queryOptions());
  prefetch(trpc.migration.waves.progress.queryOptions());
  return (
    <HydrateClient>
      <QueryErrorBoundary>
        <Suspense fallback={<TenantsListSkeleton />}>
          <WavesView canEdit={can(session.user.role, "migration:edit")} />
        </Suspense>
      </QueryErrorBoundary>
    </HydrateClient>
  );
}

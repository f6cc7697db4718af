import type { Metadata } from "next";
import { Suspense } from "react";

import type { RawSearchParams } from "@/components/migration/checklist/checklist-params";
import { parseChecklistParams } from "@/components/migration/checklist/parse-checklist-params";
import { MigrationOverview } from "@/components/migration/checklist/migration-overview";
import { AccessDenied } from "@/components/layout/access-denied";
import { QueryErrorBoundary } from "@/components/tenants/query-error-boundary";
import { TenantsListSkeleton } from "@/components/tenants/skeletons";
import { can } from "@/lib/auth/permissions";
import { getServerAuthSession } from "@/server/auth/session";
import { HydrateClient, prefetch, trpc } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Migration · Fleetdeck" };

export default async function MigrationPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const session = await getServerAuthSession();
  if (!session || !can(session.user.role, "migration:read")) return <AccessDenied what="the Migration page" />;
  // Read here and handed to the view, so the prefetched queries are the ones it reads.
  const { params, problems } = parseChecklistParams(await searchParams);
  prefetch(trpc.migration.checklist.burnUp.queryOptions());
  prefetch(trpc.migration.checklist.list.queryOptions(params.filter));
  prefetch(trpc.migration.checklist.owners.queryOptions());
  // The open task (?task=) is fetched by the drawer in the browser: a link to a task that no longer
  // exists then says so in the drawer, and the server render never waits on it.
  return (
    <HydrateClient>
      <QueryErrorBoundary>
        <Suspense fallback={<TenantsListSkeleton />}>
          <MigrationOverview canEdit={can(session.user.role, "migration:edit")} params={params} problems={problems} />
        </Suspense>
      </QueryErrorBoundary>
    </HydrateClient>
  );
}

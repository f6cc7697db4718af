import type { Metadata } from "next";
import { Suspense } from "react";

import { auditListInputOf, type RawSearchParams } from "@/components/audit/audit-list-params";
import { parseAuditListParams } from "@/components/audit/parse-audit-list-params";
import { AuditView } from "@/components/audit/audit-view";
import { AccessDenied } from "@/components/layout/access-denied";
import { QueryErrorBoundary } from "@/components/tenants/query-error-boundary";
import { TenantsListSkeleton } from "@/components/tenants/skeletons";
import { can } from "@/lib/auth/permissions";
import { getServerAuthSession } from "@/server/auth/session";
import { HydrateClient, prefetch, trpc } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Audit · Fleetdeck" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const session = await getServerAuthSession();
  // The procedure refuses other roles anyway (and records it); this spares them a page of errors.
  if (!session || !can(session.user.role, "audit:read")) {
    return <AccessDenied what="the Audit page" />;
  }
  // Read here and handed to the view, so the prefetched query is the one the table reads.
  const { params, problems } = parseAuditListParams(await searchParams);
  prefetch(trpc.audit.list.queryOptions(auditListInputOf(params)));
  return (
    <HydrateClient>
      <QueryErrorBoundary>
        <Suspense fallback={<TenantsListSkeleton />}>
          <AuditView params={params} problems={problems} />
        </Suspense>
      </QueryErrorBoundary>
    </HydrateClient>
  );
}

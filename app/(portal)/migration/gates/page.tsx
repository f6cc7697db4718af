import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";

import { AccessDenied } from "@/components/layout/access-denied";
import { GatesPanel } from "@/components/migration/gates-panel";
import { QueryErrorBoundary } from "@/components/tenants/query-error-boundary";
import { Skeleton } from "@/components/ui/skeleton";
import { can } from "@/lib/auth/permissions";
import { getServerAuthSession } from "@/server/auth/session";
import { HydrateClient, prefetch, trpc } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Gates · Migration · Fleetdeck" };

export default async function MigrationGatesPage() {
  const session = await getServerAuthSession();
  if (!session || !can(session.user.role, "migration:read")) return <AccessDenied what="the migration gates" />;
  prefetch(trpc.migration.gates.list.queryOptions());
  return (
    <div className="space-y-4">
      <div>
        <Link href="/migration" className="text-sm text-blue-700 hover:underline">
          ← Migration
        </Link>
        <h1 className="text-xl font-semibold text-slate-900">Migration gates</h1>
        <p className="text-sm text-slate-600">Automatic checks of the checklist, evaluated continuously from the cluster, the registry and the run history.</p>
      </div>
      <HydrateClient>
        <QueryErrorBoundary>
          <Suspense fallback={<Skeleton className="h-64 w-full" />}>
            <GatesPanel />
          </Suspense>
        </QueryErrorBoundary>
      </HydrateClient>
    </div>
  );
}

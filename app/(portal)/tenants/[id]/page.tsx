import type { Metadata } from "next";
import { Suspense } from "react";
import { TRPCError } from "@trpc/server";
import { pageTitle, tenantPageTitle } from "@/components/layout/page-title";
import { TenantMigrationPanel } from "@/components/migration/tenant-migration-panel";
import { TenantDetail } from "@/components/tenants/detail/tenant-detail";
import { TenantNotFound } from "@/components/tenants/detail/tenant-not-found";
import { TenantDetailSkeleton } from "@/components/tenants/skeletons";
import { TenantTimeline } from "@/components/tenants/tenant-timeline";
import { can } from "@/lib/auth/permissions";
import { getServerAuthSession } from "@/server/auth/session";
import { getQueryClient, HydrateClient, trpc } from "@/server/trpc/server";

/** The tenant and its health in the tab; the page keeps it live (DocumentTitle). */
export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  try {
    return { title: tenantPageTitle(await getQueryClient().fetchQuery({ ...trpc.tenants.get.queryOptions({ id }), retry: false })) };
  } catch {
    return { title: pageTitle("Tenant") };
  }
}

export default async function TenantPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, session] = await Promise.all([params, getServerAuthSession()]);
  // Awaited rather than streamed: an unknown id must render the not-found message, and an error
  // streamed through the RSC payload reaches the browser with its code redacted. The cache is in
  // memory, so waiting costs next to nothing.
  try {
    await getQueryClient().fetchQuery({ ...trpc.tenants.get.queryOptions({ id }), retry: false });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return <TenantNotFound id={id} />;
    // Anything else (cluster cache unavailable...) is left for the client to fetch and explain.
  }
  return (
    <HydrateClient>
      <Suspense fallback={<TenantDetailSkeleton />}>
        <TenantDetail
          id={id}
          canReadLogs={can(session?.user.role, "logs:read")}
          viewer={session ? { email: session.user.email, role: session.user.role } : undefined}
        />
      </Suspense>
      <TenantTimeline id={id} />
      <div className="mt-4">
        <TenantMigrationPanel tenantId={id} canEdit={can(session?.user.role, "migration:edit")} />
      </div>
    </HydrateClient>
  );
}

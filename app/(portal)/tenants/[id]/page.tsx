import { Suspense } from "react";
import { TenantDetail } from "@/components/tenants/detail/tenant-detail";
import { TenantDetailSkeleton } from "@/components/tenants/skeletons";
import { HydrateClient, prefetch, trpc } from "@/server/trpc/server";

export const metadata = { title: "Tenant · Fleetdeck" };

export default async function TenantPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  prefetch(trpc.tenants.get.queryOptions({ id }));
  return (
    <HydrateClient>
      <Suspense fallback={<TenantDetailSkeleton />}>
        <TenantDetail id={id} />
      </Suspense>
    </HydrateClient>
  );
}

import { TenantDetailSkeleton } from "@/components/tenants/skeletons";

export default function TenantLoading() {
  return <TenantDetailSkeleton />;
}

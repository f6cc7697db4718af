import { TenantsListSkeleton } from "@/components/tenants/skeletons";

export default function TenantsLoading() {
  return <TenantsListSkeleton />;
}

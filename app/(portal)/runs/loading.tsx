import { TenantsListSkeleton } from "@/components/tenants/skeletons";

export default function RunsLoading() {
  return <TenantsListSkeleton />;
}

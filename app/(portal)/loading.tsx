import { FleetOverviewSkeleton } from "@/components/tenants/skeletons";

export default function FleetOverviewLoading() {
  return <FleetOverviewSkeleton />;
}

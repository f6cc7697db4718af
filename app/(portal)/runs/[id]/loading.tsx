import { RunViewSkeleton } from "@/components/runbooks/skeletons";

export default function RunLoading() {
  return <RunViewSkeleton />;
}

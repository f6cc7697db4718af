import { Skeleton } from "@/components/ui/skeleton";

export function RunViewSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading the run" className="space-y-4">
      <Skeleton className="h-4 w-16" />
      <div className="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
        <Skeleton className="h-6 w-1/2" />
        <Skeleton className="h-4 w-3/4" />
      </div>
      <div className="space-y-2 rounded-xl border border-slate-200 bg-white p-4">
        <Skeleton className="h-4 w-2/3" />
        <Skeleton className="h-4 w-1/2" />
        <Skeleton className="h-4 w-3/5" />
      </div>
    </div>
  );
}

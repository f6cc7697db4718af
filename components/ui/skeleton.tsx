import { cn } from "@/components/ui/cn";

/** Decorative placeholder; the region that loads should carry aria-busy. */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden="true" className={cn("animate-pulse rounded bg-slate-200", className)} />;
}

import clsx from "clsx";

function Block({ className }: { className?: string }) {
  return <div aria-hidden className={clsx("animate-pulse rounded-md bg-slate-200/70", className)} />;
}

export function FleetOverviewSkeleton() {
  return (
    <div role="status" aria-label="Loading fleet overview" className="space-y-4">
      <Block className="h-7 w-48" />
      <div className="grid gap-4 lg:grid-cols-5">
        <Block className="h-72 lg:col-span-3" />
        <Block className="h-72 lg:col-span-2" />
      </div>
      <Block className="h-64" />
      <div className="grid gap-4 lg:grid-cols-2">
        <Block className="h-48" />
        <Block className="h-48" />
      </div>
    </div>
  );
}

export function TenantsListSkeleton() {
  return (
    <div role="status" aria-label="Loading tenants" className="space-y-3">
      <Block className="h-7 w-32" />
      <div className="flex gap-2">
        <Block className="h-8 w-80" />
        {Array.from({ length: 5 }, (_, index) => (
          <Block key={index} className="h-8 w-28" />
        ))}
      </div>
      <div className="space-y-px overflow-hidden rounded-xl border border-slate-200 bg-white">
        {Array.from({ length: 12 }, (_, index) => (
          <Block key={index} className="h-11 rounded-none" />
        ))}
      </div>
    </div>
  );
}

export function TenantDetailSkeleton() {
  return (
    <div role="status" aria-label="Loading tenant" className="space-y-4">
      <Block className="h-5 w-24" />
      <Block className="h-24" />
      <div className="grid gap-4 lg:grid-cols-2">
        <Block className="h-56" />
        <Block className="h-56" />
      </div>
      <Block className="h-48" />
      <Block className="h-48" />
    </div>
  );
}

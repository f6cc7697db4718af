export default function TenantLogsLoading() {
  return (
    <div role="status" aria-label="Loading logs" className="space-y-3">
      <div aria-hidden className="h-7 w-64 animate-pulse rounded-md bg-slate-200/70" />
      <div aria-hidden className="h-[calc(100dvh-14rem)] animate-pulse rounded-xl bg-slate-200/70" />
    </div>
  );
}

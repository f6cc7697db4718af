/**
 * The orphan's page: keyed by the instance id its workloads carry (there is no registry record),
 * and by its cluster where several are read (the same id may be orphaned in two of them).
 */
export function orphanHref(instanceId: string, cluster?: string): string {
  return `/orphans/${encodeURIComponent(instanceId)}${cluster ? `?cluster=${encodeURIComponent(cluster)}` : ""}`;
}

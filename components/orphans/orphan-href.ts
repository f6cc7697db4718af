/** The orphan's page: keyed by the instance id its workloads carry (there is no registry record). */
export function orphanHref(instanceId: string): string {
  return `/orphans/${encodeURIComponent(instanceId)}`;
}

import type { RawSearchParams } from "@/components/tenants/tenant-list-params";
import { TENANT_LIST_FIELDS, type FleetSummaryInput } from "@/lib/tenants/tenant-list";

/**
 * The fleet overview keeps its cluster filter in the URL (`/?cluster=east`, repeated or
 * comma-separated), validated by the tenants list's own field schema; an invalid value falls back
 * to every cluster and is reported the way the tenants list reports its parameters.
 */
export function parseFleetParams(raw: RawSearchParams): { params: Required<FleetSummaryInput>; problems: string[] } {
  const value = raw.cluster;
  if (value === undefined || value === "") return { params: { cluster: [] }, problems: [] };
  const names = [value]
    .flat()
    .flatMap((part) => part.split(","))
    .filter(Boolean);
  const parsed = TENANT_LIST_FIELDS.cluster.safeParse(names);
  if (parsed.success) return { params: { cluster: [...new Set(parsed.data)] }, problems: [] };
  return { params: { cluster: [] }, problems: [`"${[value].flat().join(",")}" is not a valid cluster filter; showing all clusters instead.`] };
}

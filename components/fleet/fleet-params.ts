import { TENANT_LIST_FIELDS } from "@/lib/tenants/tenant-list";
import type { FleetSummaryInput } from "@/lib/tenants/tenant-list";
import type { RawSearchParams } from "@/components/tenants/tenant-list-params";

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

/** The overview's query string: `?cluster=a&cluster=b`, or nothing for every cluster. */
export function fleetParamsToSearch(params: FleetSummaryInput): string {
  const search = new URLSearchParams();
  for (const name of params.cluster ?? []) search.append("cluster", name);
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** The `fleet.summary` input for these params: none for every cluster, so the unfiltered query is the one the page title reads. */
export function fleetSummaryInput(params: FleetSummaryInput): FleetSummaryInput | undefined {
  return params.cluster?.length ? { cluster: params.cluster } : undefined;
}

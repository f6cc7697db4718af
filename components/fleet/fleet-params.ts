import type { FleetSummaryInput } from "@/lib/tenants/tenant-list";

// zod-free: the overview (a client component) imports this; the URL is parsed on the server (parse-fleet-params.ts).

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

import "server-only";

/**
 * Server-side search, filters, sort, pagination and facets over the derived tenant summaries,
 * and the fleet overview. Pure functions over arrays: the directory keeps the summaries warm, so
 * a request at 10,000 tenants is a filter + sort over memory.
 */
import type { FeedFreshness } from "@/server/kube/cluster-store";
import {
  HEALTH_STATES,
  type ClusterOverview,
  type FleetSummary,
  type HealthState,
  type OrphanWorkload,
  type StoragePressureEntry,
  type TenantListFacets,
  type TenantListItem,
  type TenantListResult,
  type TenantSortKey,
  type TenantSummary,
} from "@/lib/tenants/types";
import type { TenantListInput } from "@/lib/tenants/tenant-list";

/** Most urgent first: what `health` ascending means. */
const HEALTH_RANK: Record<HealthState, number> = {
  down: 0,
  degraded: 1,
  missing: 2,
  provisioning: 3,
  unknown: 4,
  suspended: 5,
  stopped: 6,
  "on-swarm": 7,
  healthy: 8,
};

const searchText = new WeakMap<TenantSummary, string>();

function haystack(summary: TenantSummary): string {
  let text = searchText.get(summary);
  if (text === undefined) {
    text = [summary.name, summary.databaseName, summary.customerId, summary.customerEmail, summary.id, summary.id.replace(/-/g, "")].join("\n").toLowerCase();
    searchText.set(summary, text);
  }
  return text;
}

/** Case-insensitive; every word must match (name, database name, customer id or email, id or id prefix). */
function matchesQuery(summary: TenantSummary, words: string[]): boolean {
  if (words.length === 0) return true;
  const text = haystack(summary);
  return words.every((word) => text.includes(word));
}

type FacetName = keyof TenantListFacets;

function passes(summary: TenantSummary, input: TenantListInput, except?: FacetName): boolean {
  if (except !== "health" && input.health?.length && !input.health.includes(summary.health)) return false;
  if (except !== "instanceType" && input.instanceType?.length && !input.instanceType.includes(summary.instanceType)) return false;
  if (except !== "billingStatus" && input.billingStatus?.length && !input.billingStatus.includes(summary.billingStatus)) return false;
  if (except !== "odooVersion" && input.odooVersion?.length && !input.odooVersion.includes(summary.odooVersion)) return false;
  if (except !== "problem" && input.problem?.length && !summary.problems.some((p) => input.problem!.includes(p.kind))) return false;
  if (except !== "cluster" && input.cluster?.length && !input.cluster.includes(summary.cluster)) return false;
  return true;
}

function compareBy(key: TenantSortKey): (a: TenantSummary, b: TenantSummary) => number {
  switch (key) {
    case "health":
      return (a, b) => HEALTH_RANK[a.health] - HEALTH_RANK[b.health] || b.problems.length - a.problems.length;
    case "restarts":
      return (a, b) => a.restarts - b.restarts;
    case "storage":
      return (a, b) => (a.storageUsedPercent ?? -1) - (b.storageUsedPercent ?? -1);
    case "odooVersion":
      return (a, b) => a.odooVersion.localeCompare(b.odooVersion, undefined, { numeric: true });
    default:
      return (a, b) => String(a[key]).localeCompare(String(b[key]));
  }
}

function sortTenants(matched: TenantSummary[], input: TenantListInput): void {
  const direction = input.dir === "desc" ? -1 : 1;
  const compare = compareBy(input.sort ?? "health");
  const byName = compareBy("name");
  matched.sort((a, b) => direction * compare(a, b) || byName(a, b));
}

/** Every tenant the list's search and filters match, in its sort order, unpaged (a run over a selection). */
export function selectTenants(summaries: TenantSummary[], input: TenantListInput): TenantSummary[] {
  const words = (input.q ?? "").trim().toLowerCase().split(/\s+/).filter(Boolean);
  const matched = summaries.filter((s) => (words.length === 0 || matchesQuery(s, words)) && passes(s, input));
  sortTenants(matched, input);
  return matched;
}

const ORPHANS_LISTED = 50;

/** Every word must appear in the workload's name, namespace or instance id (with or without dashes). */
function orphanMatches(orphan: OrphanWorkload, words: string[]): boolean {
  const text = [orphan.name, orphan.namespace, orphan.instanceId, orphan.instanceId.replace(/-/g, "")].join("\n").toLowerCase();
  return words.every((word) => text.includes(word));
}

/**
 * Orphans are not tenants (no record, so no health, type, billing or version): any of those
 * filters leaves them out; a search matches their names and instance id.
 */
function matchingOrphans(orphans: OrphanWorkload[], input: TenantListInput, words: string[]): OrphanWorkload[] {
  if (input.health?.length || input.instanceType?.length || input.billingStatus?.length || input.odooVersion?.length) return [];
  const inClusters = input.cluster?.length ? orphans.filter((orphan) => input.cluster!.includes(orphan.cluster)) : orphans;
  return words.length ? inClusters.filter((orphan) => orphanMatches(orphan, words)) : inClusters;
}

export function queryTenants(
  summaries: TenantSummary[],
  input: TenantListInput,
  freshness: FeedFreshness[] = [],
  orphans: OrphanWorkload[] = [],
): TenantListResult {
  const words = (input.q ?? "").trim().toLowerCase().split(/\s+/).filter(Boolean);
  const searched = words.length ? summaries.filter((s) => matchesQuery(s, words)) : summaries;

  const facets: TenantListFacets = { health: {}, instanceType: {}, billingStatus: {}, odooVersion: {}, problem: {}, cluster: {} };
  const matched: TenantSummary[] = [];
  for (const summary of searched) {
    // Each facet counts with every other filter applied, so picking a value shows what it adds.
    if (passes(summary, input, "health")) increment(facets.health, summary.health);
    if (passes(summary, input, "instanceType")) increment(facets.instanceType, summary.instanceType);
    if (passes(summary, input, "billingStatus")) increment(facets.billingStatus, summary.billingStatus);
    if (passes(summary, input, "odooVersion")) increment(facets.odooVersion, summary.odooVersion);
    if (passes(summary, input, "problem")) for (const kind of new Set(summary.problems.map((p) => p.kind))) increment(facets.problem, kind);
    if (passes(summary, input, "cluster")) increment(facets.cluster, summary.cluster);
    if (passes(summary, input)) matched.push(summary);
  }

  sortTenants(matched, input);

  const orphansFound = matchingOrphans(orphans, input, words);
  const orphanIds = new Set(orphansFound.map((orphan) => orphan.instanceId));
  if (orphanIds.size > 0) facets.problem["orphan-workload"] = (facets.problem["orphan-workload"] ?? 0) + orphanIds.size;
  // With the orphan filter on, only orphans are listed; a plain search lists them beside the tenants it found.
  const listOrphans = input.problem?.includes("orphan-workload") || words.length > 0;

  const pageSize = Math.min(Math.max(input.pageSize ?? 25, 1), 500);
  const lastPage = Math.max(1, Math.ceil(matched.length / pageSize));
  const page = Math.min(Math.max(input.page ?? 1, 1), lastPage);
  return {
    items: matched.slice((page - 1) * pageSize, page * pageSize).map(toListItem),
    total: matched.length,
    page,
    pageSize,
    facets,
    orphans: listOrphans ? orphansFound.slice(0, ORPHANS_LISTED) : [],
    freshness,
    clusters: [],
  };
}

function toListItem(summary: TenantSummary): TenantListItem {
  return {
    ...summary,
    problems: summary.problems.map(({ kind, severity, title, since }) => (since === undefined ? { kind, severity, title } : { kind, severity, title, since })),
  };
}

function increment<K extends string>(counts: Partial<Record<K, number>>, key: K): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

export function summarizeFleet(input: {
  summaries: TenantSummary[];
  orphans: OrphanWorkload[];
  storagePressure: StoragePressureEntry[];
  freshness: FeedFreshness[];
  clusters?: ClusterOverview[];
  now: Date;
  attentionLimit?: number;
}): FleetSummary {
  const byHealth = Object.fromEntries(HEALTH_STATES.map((state) => [state, 0])) as Record<HealthState, number>;
  const attention: FleetSummary["attention"] = [];
  for (const summary of input.summaries) {
    byHealth[summary.health] += 1;
    for (const problem of summary.problems) attention.push({ ...problem, tenantId: summary.id, tenantName: summary.name, cluster: summary.cluster });
  }
  for (const orphan of input.orphans) {
    attention.push({
      kind: "orphan-workload",
      severity: "warning",
      title: `Workload ${orphan.name} belongs to no tenant record`,
      detail: `${orphan.kind} ${orphan.namespace}/${orphan.name} carries instance id ${orphan.instanceId}, which the registry does not know.`,
      since: orphan.since,
      objectRef: { kind: orphan.kind, namespace: orphan.namespace, name: orphan.name },
      tenantId: orphan.instanceId,
      tenantName: orphan.name,
      cluster: orphan.cluster,
    });
  }
  attention.sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === "critical" ? -1 : 1) ||
      (a.since ?? "\uffff").localeCompare(b.since ?? "\uffff") ||
      a.tenantName.localeCompare(b.tenantName),
  );
  return {
    total: input.summaries.length,
    byHealth,
    attention: attention.slice(0, input.attentionLimit ?? 200),
    storagePressure: input.storagePressure,
    orphans: input.orphans,
    freshness: input.freshness,
    clusters: input.clusters ?? [],
    generatedAt: input.now.toISOString(),
  };
}

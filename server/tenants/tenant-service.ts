import "server-only";
import type { PrismaClient } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { coalescedTicks } from "@/server/coalesced-ticks";
import { intern } from "@/server/kube/kinds/slimming";
import { queryTenants, summarizeFleet } from "./fleet-query";
import { listRegistryTenants } from "./registry";
import type { TenantDirectory } from "./tenant-view";
import type { FleetSummary, OrphanDetail, TenantDetail, TenantListResult, TenantRecord } from "@/lib/tenants/types";
import type { FleetSummaryInput, TenantListInput } from "@/lib/tenants/tenant-list";

/**
 * The entry points the tRPC routers call, over the tenant directory (registry ⨝ cluster source)
 * they are given. Everything here reads memory; the only I/O is the registry reload.
 */

function toIso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : value;
}

/** The directory's `loadRegistry`: every registry row as a TenantRecord. */
export async function loadRegistryRecords(db: PrismaClient): Promise<TenantRecord[]> {
  const rows = await listRegistryTenants(db);
  // Reloaded every minute, and when another process wrote the registry: the shared copies keep
  // 10,000 rows from repeating the cache's tenant ids and names and each other's customer ids,
  // emails, types and versions.
  return rows.map((row) => ({
    id: intern(row.id),
    name: intern(row.name),
    databaseName: row.databaseName,
    customerId: intern(row.customerId),
    customerEmail: intern(row.customerEmail),
    instanceType: intern(row.instanceType) as TenantRecord["instanceType"],
    odooVersion: intern(row.odooVersion),
    billingStatus: intern(row.billingStatus) as TenantRecord["billingStatus"],
    cluster: intern(row.cluster),
    createdAt: toIso(row.createdAt),
    updatedAt: toIso(row.updatedAt),
  }));
}

/** The first request after start-up waits briefly for the cache instead of showing all "unknown". */
async function whenReady(directory: TenantDirectory): Promise<void> {
  try {
    await directory.ready({ warmTimeoutMs: 5_000 });
  } catch (cause) {
    throw new AppError("UNAVAILABLE", {
      message: `tenant registry unavailable: ${(cause as Error).message}`,
      userMessage: "The tenant registry (database) cannot be read right now. Try again shortly.",
      cause,
    });
  }
}

/**
 * Results are memoised until any summary changes (directory.version), so many users on the same
 * view, or a page polling, cost one filter+sort between cluster changes. Freshness is always live.
 */
interface ListMemo {
  version: number;
  lists: Map<string, TenantListResult>;
  /** By the clusters shown ("" for every cluster). */
  fleets: Map<string, FleetSummary>;
}
const memos = new WeakMap<TenantDirectory, ListMemo>();
const MEMO_MAX_LISTS = 100;

function currentMemo(directory: TenantDirectory): ListMemo {
  // Both recompute what changed and bump the version if anything did.
  directory.summaries();
  directory.orphans();
  let memo = memos.get(directory);
  if (!memo) {
    memo = { version: -1, lists: new Map(), fleets: new Map() };
    memos.set(directory, memo);
  }
  if (memo.version !== directory.version) {
    memo.version = directory.version;
    memo.lists.clear();
    memo.fleets.clear();
  }
  return memo;
}

export async function listTenants(directory: TenantDirectory, input: TenantListInput): Promise<TenantListResult> {
  await whenReady(directory);
  const cached = currentMemo(directory);
  const key = JSON.stringify(input);
  let result = cached.lists.get(key);
  if (!result) {
    result = queryTenants(directory.summaries(), input, [], directory.orphans());
    if (cached.lists.size >= MEMO_MAX_LISTS) cached.lists.delete(cached.lists.keys().next().value!);
    cached.lists.set(key, result);
  }
  // Freshness and the clusters' states are always live; the banner speaks of the clusters shown.
  return { ...result, freshness: directory.freshness(shownClusters(input)), clusters: directory.clusterOverview() };
}

/** The clusters a filter shows; undefined: every cluster. */
function shownClusters(input: { cluster?: string[] }): ReadonlySet<string> | undefined {
  return input.cluster?.length ? new Set(input.cluster) : undefined;
}

/** The overview, of every cluster or of those `input.cluster` names. */
export async function getFleetSummary(directory: TenantDirectory, input: FleetSummaryInput = {}): Promise<FleetSummary> {
  await whenReady(directory);
  const cached = currentMemo(directory);
  const shown = shownClusters(input);
  const key = shown ? [...shown].sort().join(",") : "";
  let fleet = cached.fleets.get(key);
  if (!fleet) {
    fleet = summarizeFleet({
      summaries: shown ? directory.summaries().filter((summary) => shown.has(summary.cluster)) : directory.summaries(),
      orphans: shown ? directory.orphans().filter((orphan) => shown.has(orphan.cluster)) : directory.orphans(),
      storagePressure: directory.storagePressure(10, shown),
      freshness: [],
      now: new Date(),
    });
    if (cached.fleets.size >= MEMO_MAX_LISTS) cached.fleets.delete(cached.fleets.keys().next().value!);
    cached.fleets.set(key, fleet);
  }
  return { ...fleet, freshness: directory.freshness(shown), clusters: directory.clusterOverview() };
}

/** An instance id that workloads carry and the registry lacks: its objects and how it was found. */
export async function getOrphanDetail(directory: TenantDirectory, instanceId: string, cluster?: string): Promise<OrphanDetail> {
  await whenReady(directory);
  const detail = directory.orphanDetail(instanceId, cluster);
  if (!detail) {
    const userMessage = directory.hasTenant(instanceId)
      ? `Instance ${instanceId} has a registry record: it is a tenant, not an orphan.`
      : `No workload carries instance id ${instanceId} without a registry record.`;
    throw new AppError("NOT_FOUND", { message: `no orphan workload with instance id ${instanceId}`, userMessage });
  }
  return detail;
}

export async function getTenantDetail(directory: TenantDirectory, id: string): Promise<TenantDetail> {
  await whenReady(directory);
  const detail = directory.detail(id);
  if (!detail) {
    throw new AppError("NOT_FOUND", { message: `tenant ${id} not in registry`, userMessage: `No tenant with id ${id} in the registry.` });
  }
  return detail;
}

/**
 * Yields the tenant's fresh detail each time its objects (or its registry row) change, at most
 * every `minIntervalMs`, until the signal aborts. The first value is the current state.
 */
export async function* watchTenantDetail(directory: TenantDirectory, id: string, signal: AbortSignal, minIntervalMs = 100): AsyncGenerator<TenantDetail> {
  await whenReady(directory);
  if (!directory.hasTenant(id)) await getTenantDetail(directory, id);
  yield* coalescedTicks(
    (notify) => directory.onTenantChange((changed) => changed === id && notify()),
    signal,
    minIntervalMs,
    () => directory.detail(id),
    true,
  );
}

/** A coalesced "something changed" tick for list and overview pages (at most every 500 ms). */
export async function* watchFleetChanges(directory: TenantDirectory, signal: AbortSignal, minIntervalMs = 500): AsyncGenerator<{ at: string }> {
  yield* coalescedTicks(
    (notify) => directory.onClusterChange(() => notify()),
    signal,
    minIntervalMs,
    () => ({ at: new Date().toISOString() }),
    false,
  );
}

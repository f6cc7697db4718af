import "server-only";

import type { Readable } from "node:stream";
import type { CacheChange, FeedFreshness, VolumeUsage } from "./cluster-store";
import type { CachedObject, ObjectByResource, ResourceName } from "./kinds";
import type { ClusterWrites } from "./mutations";
import type { PodLogOptions } from "./pod-logs";

/**
 * What domain code reads from a cluster: the watch cache's slim, typed objects and its indexes.
 * Reads answer from memory and never throw for the cluster's sake: how current they are is data
 * (freshness(): per feed synced, stale since, the KubeError message), so a page can show what it
 * has and say how old it is.
 */
export interface ClusterReads {
  /** The label that names an object's tenant (on the object, else on its namespace). */
  readonly tenantLabelKey: string;
  get<R extends ResourceName>(resource: R, namespace: string | undefined, name: string): ObjectByResource[R] | undefined;
  list<R extends ResourceName>(resource: R): ObjectByResource[R][];
  listInNamespace<R extends ResourceName>(resource: R, namespace: string): ObjectByResource[R][];
  listForTenant<R extends ResourceName>(resource: R, tenantId: string): ObjectByResource[R][];
  /** Every tenant id seen on a cached object. */
  tenantIds(): Set<string>;
  tenantOf(object: CachedObject): string | undefined;
  volumeUsage(namespace: string, pvc: string): VolumeUsage | undefined;
  allVolumeUsage(): VolumeUsage[];
  freshness(): FeedFreshness[];
  /** freshness() with each error's full text (addresses, socket errors): only for admins' eyes. */
  feedDiagnostics(): (FeedFreshness & { detail?: string })[];
  /** Every resource feed has listed once. */
  isWarm(): boolean;
  /** Resolves true once warm, false when the timeout passes first. */
  whenWarm(timeoutMs: number): Promise<boolean>;
  /** Coalesced changes; returns the unsubscribe. */
  onChange(listener: (change: CacheChange) => void): () => void;
}

/**
 * One cluster as the portal's domain code sees it (Backstage's cluster supplier and fetcher idea):
 * its name as the registry's `tenant.cluster` spells it, the reads, and the pod log endpoint. No
 * KubeConfig or client-node object crosses this line. ClusterCache is the implementation; tests
 * pass a fixture.
 */
export interface ClusterSource extends ClusterReads, ClusterWrites {
  readonly name: string;
  /** Where it connects, when it is a real connection (a fixture has none). */
  connection?(): { context?: string; server?: string };
  /**
   * Opens a pod's log (GET .../pods/{pod}/log) and resolves once the API answered 2xx, with the
   * body as chunks; any other answer rejects with a KubeError (its kind, status and the API's own
   * message). Destroying the stream closes the connection.
   */
  openPodLog(namespace: string, pod: string, options: PodLogOptions, request?: { signal?: AbortSignal; timeoutMs?: number }): Promise<Readable>;
}

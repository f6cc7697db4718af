import "server-only";
import { setMaxListeners } from "node:events";
import type { Readable } from "node:stream";
import { kubeGetJson, type ClusterConnection, type KubeSettings } from "./client";
import type { ClusterSource } from "./cluster-source";
import { ClusterStore, type FeedName, type VolumeUsage } from "./cluster-store";
import { KubeError, toKubeError } from "./kube-error";
import { createSlimmers, RESOURCE_NAMES, RESOURCE_PATHS, type ResourceName } from "./kinds";
import { createClusterWrites } from "./cluster-writes";
import type { ClusterWrites, KubeMutation, MutateOptions, MutationOutcome } from "./mutations";
import { openPodLog, type PodLogOptions } from "./pod-logs";
import { listAndWatch, type RawObject } from "./watch-stream";
import { portalMetrics } from "@/server/metrics/portal-metrics";

export type { CacheChange, FeedFreshness, VolumeUsage } from "./cluster-store";

/**
 * One cluster's cache: a ClusterStore fed by a list+watch per resource and a background poll
 * of each node's kubelet stats (PVC usage). Pages and queries read the store only, so a page view
 * costs no Kubernetes API call once the cache is warm.
 */
export interface ClusterCacheOptions extends ClusterConnection {
  settings: KubeSettings;
  resources?: ResourceName[];
  volumeStatsIntervalMs?: number;
  backoff?: { initialMs: number; maxMs: number };
}

export class ClusterCache extends ClusterStore implements ClusterSource {
  readonly name: string;
  private readonly options: ClusterCacheOptions;
  private readonly resources: ResourceName[];
  // Objects keep only the label the store joins tenants by.
  private readonly slimmers: ReturnType<typeof createSlimmers>;
  private abort: AbortController | undefined;
  private readonly loops: Promise<void>[] = [];
  private statsTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly writes: ClusterWrites;

  constructor(options: ClusterCacheOptions) {
    const resources = options.resources ?? RESOURCE_NAMES;
    super({ tenantLabelKey: options.settings.tenantLabelKey, feeds: [...resources, "volume-stats"] as FeedName[] });
    this.name = options.name;
    this.options = options;
    this.resources = resources;
    this.slimmers = createSlimmers({ labelKeys: [options.settings.tenantLabelKey] });
    this.writes = createClusterWrites(options.kubeConfig);
  }

  /** Where this cache connects (the kubeconfig's current context and server): for the admins' diagnostics page. */
  connection(): { context?: string; server?: string } {
    const kubeConfig = this.options.kubeConfig;
    return { context: kubeConfig.getCurrentContext() || undefined, server: kubeConfig.getCurrentCluster()?.server };
  }

  get running(): boolean {
    return this.abort !== undefined;
  }

  start(): void {
    if (this.abort) return;
    const abort = new AbortController();
    // One listener per feed loop, per open request and per back-off sleep: more than the default 10.
    setMaxListeners(200, abort.signal);
    this.abort = abort;
    for (const resource of this.resources) this.loops.push(this.feed(resource, abort.signal));
    this.scheduleVolumeStats(0);
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    this.abort = undefined;
    clearTimeout(this.statsTimer);
    await Promise.allSettled(this.loops.splice(0));
    this.flushChanges();
  }

  openPodLog(namespace: string, pod: string, options: PodLogOptions, request?: { signal?: AbortSignal; timeoutMs?: number }): Promise<Readable> {
    return openPodLog(this.options.kubeConfig, namespace, pod, options, request);
  }

  // The write side (server/kube/mutations.ts): requests, never cached.
  mutate(mutation: KubeMutation, options: MutateOptions): Promise<MutationOutcome> {
    return this.writes.mutate(mutation, options);
  }

  getObject(apiPath: string, request?: { signal?: AbortSignal; timeoutMs?: number }): Promise<RawObject> {
    return this.writes.getObject(apiPath, request);
  }

  listObjects(apiPath: string, request?: { signal?: AbortSignal; timeoutMs?: number }): Promise<RawObject[]> {
    return this.writes.listObjects(apiPath, request);
  }

  private async feed(resource: ResourceName, signal: AbortSignal): Promise<void> {
    const transform = this.slimmers[resource] as (raw: RawObject) => never;
    const events = listAndWatch({
      kubeConfig: this.options.kubeConfig,
      path: RESOURCE_PATHS[resource],
      signal,
      transform,
      silenceTimeoutMs: this.options.settings.watchSilenceTimeoutMs,
      backoff: this.options.backoff,
    });
    const counted = portalMetrics().watchEvents;
    let listed = false;
    for await (const event of events) {
      if (event.type === "error") {
        console.warn(`[cluster-cache] ${resource}: ${event.error.message}${event.retryInMs > 0 ? `; retrying in ${event.retryInMs} ms` : ""}`);
        counted.inc({ cluster: this.name, resource, event: "restart" });
      } else if (event.type === "sync") {
        // The first list fills the cache; any later one is a relist (410 Gone, a lost resourceVersion).
        if (listed) counted.inc({ cluster: this.name, resource, event: "relist" });
        listed = true;
      }
      this.apply(resource, event);
    }
  }

  private scheduleVolumeStats(delayMs: number): void {
    if (!this.abort) return;
    this.statsTimer = setTimeout(() => {
      // Node names come from the nodes watch: until it listed, look again shortly.
      const ready = this.isSynced("nodes");
      const interval = this.options.volumeStatsIntervalMs ?? 30_000;
      const poll = ready ? this.pollVolumeStats() : Promise.resolve(false);
      poll
        .catch((error) => {
          this.markError("volume-stats", toKubeError(error));
          return false;
        })
        // After a failure, try again sooner so usage is not stale for a whole interval.
        .then((ok) => this.scheduleVolumeStats(!ready ? 500 : ok ? interval : Math.min(interval, 5_000)));
    }, delayMs);
    this.statsTimer.unref?.();
  }

  /** Reads each node's kubelet summary through the API server proxy, a few nodes at a time. */
  private async pollVolumeStats(): Promise<boolean> {
    const signal = this.abort?.signal;
    if (!signal) return false;
    const nodes = this.list("nodes").map((node) => node.metadata.name);
    const usages: VolumeUsage[] = [];
    let firstError: KubeError | undefined;
    let reached = 0;
    const queue = [...nodes];
    const worker = async () => {
      for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
        try {
          const summary = await kubeGetJson<KubeletSummary>(this.options.kubeConfig, `/api/v1/nodes/${encodeURIComponent(node)}/proxy/stats/summary`, {
            signal,
            timeoutMs: 10_000,
          });
          usages.push(...volumeUsageFromSummary(summary));
          reached += 1;
        } catch (error) {
          if (signal.aborted) return;
          firstError ??= toKubeError(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, nodes.length) }, worker));
    if (signal.aborted) return false;
    if (reached > 0 || nodes.length === 0) this.setVolumeUsage(usages, { replaceMissing: reached === nodes.length });
    if (firstError) this.markError("volume-stats", firstError);
    return firstError === undefined;
  }
}

interface KubeletSummary {
  pods?: {
    podRef?: { name?: string; namespace?: string };
    volume?: { name?: string; usedBytes?: number; capacityBytes?: number; pvcRef?: { name?: string; namespace?: string } }[];
  }[];
}

export function volumeUsageFromSummary(summary: KubeletSummary, observedAt = new Date().toISOString()): VolumeUsage[] {
  const usages: VolumeUsage[] = [];
  for (const pod of summary.pods ?? []) {
    for (const volume of pod.volume ?? []) {
      const pvc = volume.pvcRef?.name;
      const namespace = volume.pvcRef?.namespace ?? pod.podRef?.namespace;
      if (!pvc || !namespace || volume.capacityBytes === undefined) continue;
      usages.push({ namespace, pvc, usedBytes: volume.usedBytes ?? 0, capacityBytes: volume.capacityBytes, observedAt });
    }
  }
  return usages;
}

import "server-only";
import { setMaxListeners } from "node:events";
import type { KubeConfig } from "@kubernetes/client-node";
import { kubeGetJson, kubeSettings, loadKubeConfig, type KubeSettings } from "./client";
import { ClusterStore, type FeedName, type VolumeUsage } from "./cluster-store";
import { KubeError, toKubeError } from "./kube-error";
import { createSlimmers, RESOURCE_NAMES, RESOURCE_PATHS, type ResourceName } from "./objects";
import { listAndWatch, type RawObject } from "./watch-stream";

export type { CacheChange, FeedFreshness, VolumeUsage } from "./cluster-store";

/**
 * The one cluster cache: a ClusterStore fed by a list+watch per resource and a background poll
 * of each node's kubelet stats (PVC usage). Pages and queries read the store only, so a page view
 * costs no Kubernetes API call once the cache is warm.
 */
export interface ClusterCacheOptions {
  kubeConfig: KubeConfig;
  settings: KubeSettings;
  resources?: ResourceName[];
  volumeStatsIntervalMs?: number;
  backoff?: { initialMs: number; maxMs: number };
}

export class ClusterCache extends ClusterStore {
  private readonly options: ClusterCacheOptions;
  private readonly resources: ResourceName[];
  // Objects keep only the label the store joins tenants by.
  private readonly slimmers: ReturnType<typeof createSlimmers>;
  private abort: AbortController | undefined;
  private readonly loops: Promise<void>[] = [];
  private statsTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: ClusterCacheOptions) {
    const resources = options.resources ?? RESOURCE_NAMES;
    super({ tenantLabelKey: options.settings.tenantLabelKey, feeds: [...resources, "volume-stats"] as FeedName[] });
    this.options = options;
    this.resources = resources;
    this.slimmers = createSlimmers({ labelKeys: [options.settings.tenantLabelKey] });
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

  /** Resolves true once every resource listed once, false when the timeout passes first. */
  whenWarm(timeoutMs: number): Promise<boolean> {
    if (this.isWarm()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        clearInterval(poll);
        resolve(this.isWarm());
      }, timeoutMs);
      const poll = setInterval(() => {
        if (!this.isWarm()) return;
        clearInterval(poll);
        clearTimeout(timer);
        resolve(true);
      }, 25);
    });
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
    for await (const event of events) {
      if (event.type === "error" && event.error.kind !== "stalled") {
        console.warn(`[cluster-cache] ${resource}: ${event.error.message}; retrying in ${event.retryInMs} ms`);
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
          const summary = await kubeGetJson<KubeletSummary>(
            this.options.kubeConfig,
            `/api/v1/nodes/${encodeURIComponent(node)}/proxy/stats/summary`,
            { signal, timeoutMs: 10_000 },
          );
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

// Next.js evaluates server modules in more than one bundle (RSC, route handlers); a globalThis
// slot keeps it to one cache and one set of watches per process.
const globalSlot = globalThis as typeof globalThis & { __fleetdeckClusterCache?: ClusterCache };

/** The process-wide cache, started on first use. */
export function getClusterCache(): ClusterCache {
  if (!globalSlot.__fleetdeckClusterCache) {
    const kubeConfig = loadKubeConfig();
    const cache = new ClusterCache({ kubeConfig, settings: kubeSettings() });
    cache.start();
    globalSlot.__fleetdeckClusterCache = cache;
  }
  return globalSlot.__fleetdeckClusterCache;
}

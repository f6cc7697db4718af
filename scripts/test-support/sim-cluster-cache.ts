// The watch cache the integration tests run against a simulator process or the real control
// plane: the portal's own ClusterCache over a kubeconfig, with short back-offs. Imported by tests only.
import { KubeConfig } from "@kubernetes/client-node";

import { ClusterCache } from "@/server/kube/cluster-cache";

export function simClusterCache(kubeconfigPath: string, options: { watchSilenceTimeoutMs?: number; volumeStatsIntervalMs?: number } = {}): ClusterCache {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  const cache = new ClusterCache({
    // The registry's records name the cluster "default", as the portal's single-cluster default does.
    name: "default",
    kubeConfig,
    settings: { tenantLabelKey: "saasodoo.instance.id", watchSilenceTimeoutMs: options.watchSilenceTimeoutMs ?? 20_000 },
    volumeStatsIntervalMs: options.volumeStatsIntervalMs ?? 60_000,
    backoff: { initialMs: 100, maxMs: 1_000 },
  });
  cache.start();
  return cache;
}

// The watch cache the integration tests run against a simulator process: the portal's own
// ClusterCache over the simulator's kubeconfig, with short back-offs. Imported by tests only.
import { KubeConfig } from "@kubernetes/client-node";

import { ClusterCache } from "@/server/kube/cluster-cache";

export function simClusterCache(kubeconfigPath: string): ClusterCache {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  const cache = new ClusterCache({
    name: "default",
    kubeConfig,
    settings: { tenantLabelKey: "saasodoo.instance.id", watchSilenceTimeoutMs: 20_000 },
    volumeStatsIntervalMs: 60_000,
    backoff: { initialMs: 100, maxMs: 1_000 },
  });
  cache.start();
  return cache;
}

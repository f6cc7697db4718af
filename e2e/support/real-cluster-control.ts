import { AppsV1Api, CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { PodLogFiles } from "../../scripts/lib/kubelet-front";
import { FAULT_ANNOTATION } from "../../scripts/lib/real-fleet";
import type { ClusterControl } from "./fixtures";
import type { E2EStack } from "./stack-file";

/**
 * What the simulator's control API does for a spec (`tenantAction`), through the real API as an
 * admin: a crash is the kwok fault Stage's annotation on the pod template (a rollout of crashing
 * pods), healing removes it (a rollout of healthy ones), a log burst appends lines to the files
 * the test kubelet serves. An action with no real equivalent fails loudly.
 */
export function realClusterControl(real: NonNullable<E2EStack["real"]>): ClusterControl {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(real.adminKubeconfig);
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const logs = new PodLogFiles(real.podLogsDir);
  const namespaceOf = (databaseName: string) => `tenant-${databaseName}`;

  async function deploymentName(namespace: string): Promise<string> {
    const list = await apps.listNamespacedDeployment({ namespace });
    if (list.items.length === 0) throw new Error(`no Deployment in ${namespace}`);
    return list.items[0].metadata!.name!;
  }

  async function setFault(databaseName: string, fault: string | null): Promise<void> {
    const namespace = namespaceOf(databaseName);
    await apps.patchNamespacedDeployment(
      { name: await deploymentName(namespace), namespace, body: { spec: { template: { metadata: { annotations: { [FAULT_ANNOTATION]: fault } } } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
  }

  return {
    async tenantAction(databaseName, action, body) {
      switch (action) {
        case "crash":
          return setFault(databaseName, "crash-loop");
        case "heal":
          return setFault(databaseName, null);
        case "log-burst": {
          const { linesPerSecond = 50, seconds = 5 } = (body ?? {}) as { linesPerSecond?: number; seconds?: number };
          const namespace = namespaceOf(databaseName);
          const pods = (await core.listNamespacedPod({ namespace })).items.filter((pod) => pod.status?.phase === "Running");
          const start = Date.now();
          // Written over the burst's length, as a busy instance would, not all at once.
          void (async () => {
            for (let second = 0; second < seconds; second++) {
              for (const pod of pods) {
                const container = pod.spec!.containers[0].name;
                const lines = Array.from({ length: linesPerSecond }, (_, index) => ({
                  at: start + second * 1000 + Math.floor((index * 1000) / linesPerSecond),
                  text: `INFO ${databaseName} werkzeug: burst line ${second * linesPerSecond + index}`,
                }));
                logs.append(namespace, pod.metadata!.name!, container, lines);
              }
              await new Promise((resolve) => setTimeout(resolve, 1000));
            }
          })();
          return;
        }
        default:
          throw new Error(`the real cluster has no equivalent of the simulator's "${action}" action yet`);
      }
    },
  };
}

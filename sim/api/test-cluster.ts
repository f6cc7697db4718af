import { KubeConfig } from "@kubernetes/client-node";
import { LogStore } from "../logs/log-store";
import { kubeconfigYaml } from "../kubeconfig";
import { emptyHooks, type SimHooks } from "../runtime";
import { ObjectStore } from "../store/object-store";
import type { KubeObject } from "../store/types";
import { ApiServer } from "./server";

export const TEST_TOKEN = "test-token";

const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

export function readyPod(ns: string, name: string, labels: Record<string, string>, extra: { restarts?: number; waiting?: string } = {}): KubeObject {
  const waiting = extra.waiting;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: ns, labels, creationTimestamp: ago(3600) },
    spec: { nodeName: "node-1", containers: [{ name: "odoo", image: "odoo:17.0" }], terminationGracePeriodSeconds: 30 },
    status: {
      phase: waiting ? "Running" : "Running",
      podIP: "10.244.0.10",
      conditions: [{ type: "Ready", status: waiting ? "False" : "True" }],
      containerStatuses: [
        {
          name: "odoo",
          ready: !waiting,
          restartCount: extra.restarts ?? 0,
          image: "odoo:17.0",
          state: waiting ? { waiting: { reason: waiting } } : { running: { startedAt: ago(3000) } },
          ...(extra.restarts ? { lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: ago(120) } } } : {}),
        },
      ],
    },
  };
}

/** A small cluster populated straight through the store, for API tests that must not depend on the fleet. */
export function populate(store: ObjectStore, logs: LogStore, tenants = 3): void {
  store.create("core/nodes", {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: "node-1", labels: { "node-role.kubernetes.io/worker": "" } },
    status: {
      conditions: [{ type: "Ready", status: "True" }],
      addresses: [{ type: "InternalIP", address: "10.0.0.11" }],
      nodeInfo: { kubeletVersion: "v1.32.0" },
    },
  });
  store.create("storage.k8s.io/storageclasses", {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: "ceph-rbd", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    provisioner: "rbd.csi.ceph.com",
    allowVolumeExpansion: true,
  });
  store.create("storage.k8s.io/storageclasses", {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: "local-path" },
    provisioner: "rancher.io/local-path",
    allowVolumeExpansion: false,
  });
  store.create("core/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" }, status: { phase: "Active" } });
  for (let i = 0; i < tenants; i++) {
    const ns = `tenant-t${i}`;
    const app = `odoo-t${i}-0000000${i}`;
    const labels = { "saasodoo.instance.name": app, tier: i % 2 ? "odd" : "even" };
    store.create("core/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels }, status: { phase: "Active" } });
    store.create("apps/deployments", {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: app, namespace: ns, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: { "saasodoo.instance.name": app } },
        template: { metadata: { labels: { "saasodoo.instance.name": app } }, spec: { containers: [{ name: "odoo", image: "odoo:17.0" }] } },
      },
      status: { replicas: 1, readyReplicas: 1, updatedReplicas: 1, availableReplicas: 1 },
    });
    store.create("core/pods", readyPod(ns, `${app}-abc12-x${i}`, labels, i === 1 ? { restarts: 4, waiting: "CrashLoopBackOff" } : {}));
    store.create("core/services", {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: app, namespace: ns },
      spec: { selector: { "saasodoo.instance.name": app }, ports: [{ port: 8069 }] },
    });
    store.create("core/persistentvolumeclaims", {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "odoo-filestore", namespace: ns },
      spec: {
        accessModes: ["ReadWriteOnce"],
        storageClassName: i === 2 ? "local-path" : "ceph-rbd",
        resources: { requests: { storage: "10Gi" } },
        volumeName: `pvc-${i}`,
      },
      status: { phase: "Bound", capacity: { storage: "10Gi" }, accessModes: ["ReadWriteOnce"] },
    });
    for (let l = 0; l < 5; l++) logs.append(ns, `${app}-abc12-x${i}`, "odoo", `2026-01-01 00:00:0${l},000 1 INFO ${ns} odoo.modules.loading: line ${l}`);
  }
}

export interface TestCluster {
  api: ApiServer;
  store: ObjectStore;
  logs: LogStore;
  url: string;
  kubeConfig: KubeConfig;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestCluster(
  opts: { tenants?: number; hooks?: SimHooks; historySize?: number; bookmarkIntervalMs?: number } = {},
): Promise<TestCluster> {
  const store = new ObjectStore({ historySize: opts.historySize });
  const logs = new LogStore();
  populate(store, logs, opts.tenants ?? 3);
  const api = new ApiServer({ store, logs, hooks: opts.hooks ?? emptyHooks, token: TEST_TOKEN, bookmarkIntervalMs: opts.bookmarkIntervalMs });
  const url = await api.listen(0, "127.0.0.1");
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kubeconfigYaml(url, TEST_TOKEN));
  return {
    api,
    store,
    logs,
    url,
    kubeConfig,
    fetch: (path, init = {}) => fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${TEST_TOKEN}`, ...(init.headers ?? {}) } }),
    close: () => api.close(),
  };
}

import type { LogStore } from "./logs/log-store";
import type { ObjectStore } from "./store/object-store";
import type { KubeObject } from "./store/types";

/** What the HTTP layer (sim-core) asks the fleet side (sim-fleet) for. */
export interface SimHooks {
  /** kubelet /stats/summary shape; pods[].volume[] carry usedBytes/capacityBytes/pvcRef */
  nodeStatsSummary(nodeName: string): unknown | undefined;
  /** metrics.k8s.io/v1beta1 PodMetrics */
  podMetrics(namespace?: string): KubeObject[];
  /** metrics.k8s.io/v1beta1 NodeMetrics */
  nodeMetrics(): KubeObject[];
  /**
   * Fleet actions. `action` is the path after `/_sim/`, e.g. "tenants/acme/crash" or "nodes/node-1/down";
   * `body` is the parsed JSON request body ({} when empty).
   */
  control(action: string, body: unknown): Promise<{ status: number; body: unknown }>;
  /** instance-service database export rows */
  registryExport(): unknown[];
}

export interface FleetOptions {
  store: ObjectStore;
  logs: LogStore;
  tenants: number;
  scenario: string;
  seed: number;
}

export interface Fleet {
  hooks: SimHooks;
  stop(): void;
  tenantCount: number;
}

/** Hooks for a bare store (tests, or a fleet that is not wired): everything empty. */
export const emptyHooks: SimHooks = {
  nodeStatsSummary: () => undefined,
  podMetrics: () => [],
  nodeMetrics: () => [],
  control: async (action) => ({
    status: 404,
    body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", reason: "NotFound", code: 404, message: `unknown control action ${action}` },
  }),
  registryExport: () => [],
};

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface E2EStack {
  portalUrl: string;
  simUrl: string;
  simToken: string;
  /** The simulator's kubeconfig, for a spec that starts a portal of its own against it. */
  kubeconfig: string;
  dataDir: string;
  pids: number[];
  /**
   * The second stack (the "real-cluster" project): a real control plane with the demo fleet
   * populated through its API and a portal reading it with its ServiceAccount kubeconfig. Present
   * when FLEETDECK_REAL_CLUSTER=1 (npm test sets it once the binaries are built).
   */
  real?: {
    portalUrl: string;
    /** system:masters, for a spec's changes through the real API (what the simulator's control API does on the other stack). */
    adminKubeconfig: string;
    /** The container log files the test kubelet serves (scripts/lib/kubelet-front.ts), for a spec that writes log lines. */
    podLogsDir: string;
    dataDir: string;
  };
}

export const stackFile = join(new URL("../..", import.meta.url).pathname, ".data", "e2e-stack.json");

/** The stack global setup started; absent when the suite runs against an external portal. */
export function readStack(): E2EStack | undefined {
  return existsSync(stackFile) ? (JSON.parse(readFileSync(stackFile, "utf8")) as E2EStack) : undefined;
}

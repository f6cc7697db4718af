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
}

export const stackFile = join(new URL("../..", import.meta.url).pathname, ".data", "e2e-stack.json");

/** The stack global setup started; absent when the suite runs against an external portal. */
export function readStack(): E2EStack | undefined {
  return existsSync(stackFile) ? (JSON.parse(readFileSync(stackFile, "utf8")) as E2EStack) : undefined;
}

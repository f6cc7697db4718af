import { join } from "node:path";

export interface E2EStack {
  portalUrl: string;
  simUrl: string;
  simToken: string;
  dataDir: string;
  pids: number[];
}

export const stackFile = join(new URL("../..", import.meta.url).pathname, ".data", "e2e-stack.json");

// What the wave and selection integration tests run on: a simulator process, the portal's watch
// cache and tenant directory over it, and runbook engines ("portal processes") made on demand,
// each stopped with the stack. Imported by tests only.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import type { TenantRecord } from "@/lib/tenants/types";
import type { PrismaClient } from "@/server/db/generated/client";
import type { ClusterCache } from "@/server/kube/cluster-cache";
import { RunbookEngine } from "@/server/runbooks/engine/engine";
import { TenantDirectory } from "@/server/tenants/tenant-view";
import { simClusterCache } from "./sim-cluster-cache";
import { startSimProcess, type SimProcess } from "./sim-process";

export interface RunbookTestStack {
  sim: SimProcess;
  cache: ClusterCache;
  directory: TenantDirectory;
  records: TenantRecord[];
  /** A started engine with short leases and polls, as the portal process `holder` would run it. */
  engine(holder: string): RunbookEngine;
  /** Runs `stop` when the stack stops (drivers, before the engines they use). */
  onStop(stop: () => unknown): void;
  stop(): Promise<void>;
}

export async function startRunbookTestStack(db: PrismaClient, options: { tenants: number; scenario?: string }): Promise<RunbookTestStack> {
  const workDir = mkdtempSync(path.join(tmpdir(), "fleetdeck-runbooks-"));
  const kubeconfigPath = path.join(workDir, "kubeconfig");
  const sim = await startSimProcess({ kubeconfigPath, token: "t", tenants: options.tenants, args: ["--scenario", options.scenario ?? "healthy"] });
  const cache = simClusterCache(kubeconfigPath);
  const records = await sim.registry();
  const directory = new TenantDirectory({ clusters: [cache], loadRegistry: async () => records });
  directory.start();
  if (!(await cache.whenWarm(30_000))) throw new Error("the watch cache did not warm within 30 s");
  await directory.ready({ warmTimeoutMs: 30_000 });
  const stoppers: (() => unknown)[] = [];
  return {
    sim,
    cache,
    directory,
    records,
    engine(holder) {
      const engine = new RunbookEngine({
        db,
        holder,
        leaseMs: 2_000,
        tenantRecord: async (id) => records.find((record) => record.id === id),
        clusterFor: () => cache,
        settings: { maxVolumeSize: "200Gi", backupCronJobName: "odoo-backup" },
        sweepIntervalMs: 500,
        verifyPollMs: 200,
        watchPollMs: 100,
      });
      engine.start();
      stoppers.push(() => engine.dispose());
      return engine;
    },
    onStop(stop) {
      stoppers.push(stop);
    },
    async stop() {
      for (const stop of stoppers.reverse()) await stop();
      directory.stop();
      await cache.stop();
      sim.stop();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** The longest overlap of the runs' [startedAt, endedAt] intervals: how many ran at once. */
export function maxConcurrent(runs: { startedAt: Date | null; endedAt: Date | null }[]): number {
  const edges = runs.flatMap((run) => [
    { at: run.startedAt!.getTime(), delta: 1 },
    { at: (run.endedAt ?? new Date()).getTime(), delta: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let now = 0;
  let max = 0;
  for (const edge of edges) max = Math.max(max, (now += edge.delta));
  return max;
}

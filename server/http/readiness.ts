import "server-only";

import { processDrain } from "@/server/http/drain";
import { runtime } from "@/server/runtime";

export interface Readiness {
  ready: boolean;
  /** What is not ready yet, in words (empty when ready). */
  waitingFor: string[];
}

/**
 * Ready to take traffic: the database answers and every cluster's watch cache has listed once (with
 * several clusters: or failed to, see below), so a page served now shows the fleet rather than a
 * loading state. A load balancer or the kubelet's
 * readiness probe asks this; liveness stays /api/health (the process answers).
 */
export async function checkReadiness(timeoutMs = 2_000): Promise<Readiness> {
  // First of all on SIGTERM (server/http/drain.ts): the pod leaves its Service before anything stops.
  if (processDrain().draining) return { ready: false, waitingFor: ["nothing: this process is shutting down"] };
  const waitingFor: string[] = [];
  try {
    await Promise.race([
      runtime().db.$queryRaw`SELECT 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref?.()),
    ]);
  } catch (error) {
    waitingFor.push(`the database (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`);
  }
  const clusters = runtime().clusters.all();
  for (const cluster of clusters) {
    if (cluster.isWarm()) continue;
    // With several clusters, one that cannot be listed (unreachable, forbidden) does not hold the
    // others' tenants back: its own tenants say why they are unknown. One still loading does.
    if (clusters.length > 1 && cluster.freshness().some((feed) => !feed.synced && feed.error)) continue;
    waitingFor.push(`the watch cache of cluster ${cluster.name} (not every kind has listed yet)`);
  }
  return { ready: waitingFor.length === 0, waitingFor };
}

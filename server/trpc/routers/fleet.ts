import "server-only";

import { tracked } from "@trpc/server";

import type { ClusterDiagnosticsView } from "@/lib/cluster/views";
import { runtime } from "@/server/runtime";
import { getFleetSummary, watchFleetChanges } from "@/server/tenants/tenant-service";
import { createTRPCRouter, requirePermission } from "@/server/trpc/init";

export const fleetRouter = createTRPCRouter({
  summary: requirePermission("fleet:read").query(() => getFleetSummary(runtime().tenants)),

  /** Each cluster connection with its feeds' errors in full (addresses, socket errors): admins only. */
  diagnostics: requirePermission("users:manage").query((): ClusterDiagnosticsView[] =>
    runtime()
      .clusters.all()
      .map((cluster) => ({ name: cluster.name, ...cluster.connection?.(), warm: cluster.isWarm(), feeds: cluster.feedDiagnostics() })),
  ),

  /** A coalesced "changed" tick (at most every ~500 ms) so list and overview pages invalidate. */
  onChange: requirePermission("fleet:read").subscription(async function* ({ signal }) {
    let sequence = 0;
    for await (const change of watchFleetChanges(runtime().tenants, signal ?? new AbortController().signal)) {
      sequence += 1;
      yield tracked(`${Date.now()}-${sequence}`, change);
    }
  }),
});

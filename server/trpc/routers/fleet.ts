import "server-only";

import { tracked } from "@trpc/server";

import { runtime } from "@/server/runtime";
import { getFleetSummary, watchFleetChanges } from "@/server/tenants/tenant-service";
import { createTRPCRouter, requirePermission } from "@/server/trpc/init";

export const fleetRouter = createTRPCRouter({
  summary: requirePermission("fleet:read").query(() => getFleetSummary(runtime().tenants)),

  /** A coalesced "changed" tick (at most every ~500 ms) so list and overview pages invalidate. */
  onChange: requirePermission("fleet:read").subscription(async function* ({ signal }) {
    let sequence = 0;
    for await (const change of watchFleetChanges(runtime().tenants, signal ?? new AbortController().signal)) {
      sequence += 1;
      yield tracked(`${Date.now()}-${sequence}`, change);
    }
  }),
});

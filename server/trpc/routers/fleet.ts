import "server-only";

import { tracked } from "@trpc/server";

import type { ClusterDiagnosticsView } from "@/lib/cluster/views";
import { fleetSummaryInputSchema } from "@/lib/tenants/tenant-list";
import { acknowledgeProblemInputSchema, withdrawAcknowledgementInputSchema } from "@/lib/tenants/acknowledgement-schemas";
import { auditSourceOf } from "@/server/audit/request-source";
import { runtime } from "@/server/runtime";
import { acknowledgeProblem, activeAcknowledgements, withAcknowledgements, withdrawAcknowledgement } from "@/server/tenants/acknowledgements";
import { getFleetSummary, watchFleetChanges } from "@/server/tenants/tenant-service";
import { createTRPCRouter, requirePermission } from "@/server/trpc/init";

export const fleetRouter = createTRPCRouter({
  /** Acknowledgements are read from the database on each call: another process may have written one. */
  summary: requirePermission("fleet:read")
    .input(fleetSummaryInputSchema.optional())
    .query(async ({ ctx, input }) => {
      const [summary, acknowledgements] = await Promise.all([getFleetSummary(runtime().tenants, input ?? {}), activeAcknowledgements(ctx.db)]);
      return withAcknowledgements(summary, acknowledgements);
    }),

  acknowledge: requirePermission("attention:acknowledge")
    .input(acknowledgeProblemInputSchema)
    .mutation(({ ctx, input }) =>
      acknowledgeProblem(ctx.db, ctx.session.user, input, (id, kind) => runtime().tenants.reportsProblem(id, kind), auditSourceOf(ctx.headers)),
    ),

  withdrawAcknowledgement: requirePermission("attention:acknowledge")
    .input(withdrawAcknowledgementInputSchema)
    .mutation(({ ctx, input }) => withdrawAcknowledgement(ctx.db, ctx.session.user, input, auditSourceOf(ctx.headers))),

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

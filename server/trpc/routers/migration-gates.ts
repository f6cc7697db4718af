import "server-only";

import { tracked } from "@trpc/server";
import { z } from "zod";

import { attestTaskInputSchema, revokeAttestationInputSchema } from "@/lib/migration/attestations";
import { auditSourceOf } from "@/server/audit/request-source";
import { attestTask, currentAttestations, listAttestations, revokeAttestation } from "@/server/migration/gates/attestations";
import { watchGateChanges } from "@/server/migration/gates/gate-monitor";
import { listGateResults } from "@/server/migration/gates/gate-service";
import { runtime } from "@/server/runtime";
import { createTRPCRouter, requirePermission } from "@/server/trpc/init";

const read = requirePermission("migration:read");
const edit = requirePermission("migration:edit");

export const migrationGatesRouter = createTRPCRouter({
  /** Every gate's last result (the checklist's tasks pick theirs by `key`). */
  list: read.query(() => listGateResults(runtime().gates, runtime().tenants)),

  /** A tick whenever a gate's result changed, so pages refetch `list` (first tick at once). */
  onChange: read.subscription(async function* ({ signal }) {
    for await (const change of watchGateChanges(runtime().gates, signal ?? new AbortController().signal)) {
      yield tracked(`${Date.now()}-${change.version}`, change);
    }
  }),

  /** A task's attestations (manual checks), newest first, each saying whether it counts now. */
  attestations: read.input(z.object({ taskId: z.uuid("Not a task id.") })).query(({ ctx, input }) => listAttestations(ctx.db, input.taskId)),

  /** The attestation that holds now, per task that has one. */
  currentAttestations: read.query(({ ctx }) => currentAttestations(ctx.db)),

  attest: edit.input(attestTaskInputSchema).mutation(({ ctx, input }) => attestTask(ctx.db, ctx.session.user, input, auditSourceOf(ctx.headers))),

  revokeAttestation: edit
    .input(revokeAttestationInputSchema)
    .mutation(({ ctx, input }) => revokeAttestation(ctx.db, ctx.session.user, input, auditSourceOf(ctx.headers))),
});

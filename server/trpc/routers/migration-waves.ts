import "server-only";

import { z } from "zod";

import { waveActionSchema, waveAttestSchema, waveCreateSchema, waveIdSchema, waveRollbackSchema, waveSelectionSchema } from "@/lib/migration/wave-schemas";
import { auditSourceOf } from "@/server/audit/request-source";
import { runtime } from "@/server/runtime";
import { createTRPCRouter, requirePermission } from "@/server/trpc/init";

// Domain logic lives in server/migration/waves; the driver there runs the steps.
const waves = () => runtime().waves;

export const migrationWavesRouter = createTRPCRouter({
  list: requirePermission("migration:read").query(() => waves().list()),
  board: requirePermission("migration:read")
    .input(z.object({ waveId: waveIdSchema }).strict())
    .query(({ input }) => waves().board(input.waveId)),
  /** Tenants migrated per day against the waves' plan, for the Migration page's chart. */
  progress: requirePermission("migration:read").query(() => waves().progress()),
  previewSelection: requirePermission("migration:edit")
    .input(z.object({ selection: waveSelectionSchema }).strict())
    .query(({ input }) => waves().previewSelection(input.selection)),
  create: requirePermission("migration:edit")
    .input(waveCreateSchema)
    .mutation(({ ctx, input }) => waves().create(ctx.session.user, input, auditSourceOf(ctx.headers))),
  /** A PM records an attested step for every tenant of the wave that is ready for it. */
  attest: requirePermission("migration:edit")
    .input(waveAttestSchema)
    .mutation(({ ctx, input }) => waves().attest(ctx.session.user, input, auditSourceOf(ctx.headers))),
  /** An operator runs a step over the wave (start on Kubernetes, verify), pauses, resumes or retries. */
  act: requirePermission("runbook:run")
    .input(waveActionSchema)
    .mutation(({ ctx, input }) => waves().act(ctx.session.user, input.waveId, input.action, auditSourceOf(ctx.headers))),
  cancel: requirePermission("migration:edit")
    .input(z.object({ waveId: waveIdSchema }).strict())
    .mutation(({ ctx, input }) => waves().act(ctx.session.user, input.waveId, "cancel", auditSourceOf(ctx.headers))),
  rollback: requirePermission("runbook:run")
    .input(waveRollbackSchema)
    .mutation(({ ctx, input }) => waves().rollback(ctx.session.user, input, auditSourceOf(ctx.headers))),
});

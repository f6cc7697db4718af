import "server-only";

import { checklistFilterSchema, evidenceAddSchema, evidenceRemoveSchema, taskIdSchema, taskUpdateSchema } from "@/lib/migration/checklist-schemas";
import { z } from "zod";

import { auditSourceOf } from "@/server/audit/request-source";
import { env } from "@/server/env";
import {
  addTaskEvidence,
  checklistBurnUp,
  getChecklistTask,
  listChecklistTasks,
  listTaskOwners,
  removeTaskEvidence,
  updateChecklistTask,
} from "@/server/migration/checklist/checklist-service";
import { createTRPCRouter, requirePermission } from "@/server/trpc/init";

const read = requirePermission("migration:read");
const edit = requirePermission("migration:edit");

export const migrationChecklistRouter = createTRPCRouter({
  list: read.input(checklistFilterSchema.optional()).query(({ ctx, input }) => listChecklistTasks(ctx.db, input ?? {})),
  get: read.input(z.object({ taskId: taskIdSchema })).query(({ ctx, input }) => getChecklistTask(ctx.db, input.taskId)),
  owners: read.query(({ ctx }) => listTaskOwners(ctx.db)),
  burnUp: read.query(({ ctx }) => checklistBurnUp(ctx.db, { planStart: env.MIGRATION_PLAN_START })),
  update: edit.input(taskUpdateSchema).mutation(({ ctx, input }) => updateChecklistTask(ctx.db, ctx.session.user, input, auditSourceOf(ctx.headers))),
  addEvidence: edit.input(evidenceAddSchema).mutation(({ ctx, input }) => addTaskEvidence(ctx.db, ctx.session.user, input, auditSourceOf(ctx.headers))),
  removeEvidence: edit
    .input(evidenceRemoveSchema)
    .mutation(({ ctx, input }) => removeTaskEvidence(ctx.db, ctx.session.user, input.evidenceId, auditSourceOf(ctx.headers))),
});

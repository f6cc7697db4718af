import "server-only";

import { auditListInputSchema } from "@/lib/audit/audit-list-schemas";
import { listAuditEvents } from "@/server/audit/audit-query";
import { createTRPCRouter, requirePermission } from "@/server/trpc/init";

export const auditRouter = createTRPCRouter({
  list: requirePermission("audit:read")
    .input(auditListInputSchema)
    .query(({ ctx, input }) => listAuditEvents(ctx.db, input)),
});

import "server-only";

import { signOutEverywhere } from "@/server/auth/portal-sessions";
import { auditSourceOf } from "@/server/audit/request-source";
import { createTRPCRouter, requirePermission } from "@/server/trpc/init";

const self = requirePermission("account:self");

/** What a signed-in user does to their own account. */
export const accountRouter = createTRPCRouter({
  signOutEverywhere: self.mutation(({ ctx }) => signOutEverywhere(ctx.db, ctx.session.user, auditSourceOf(ctx.headers))),
});

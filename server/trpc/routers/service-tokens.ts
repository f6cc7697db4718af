import "server-only";

import { z } from "zod";

import { createServiceTokenInputSchema } from "@/lib/migration/service-token-schemas";
import { auditSourceOf } from "@/server/audit/request-source";
import { createServiceToken, listServiceTokens, revokeServiceToken } from "@/server/migration/service-tokens";
import { createTRPCRouter, requirePermission } from "@/server/trpc/init";

const manageTokens = requirePermission("users:manage");

/** Service tokens for the migration scripts: admins create (the secret is in that one answer), list and revoke them. */
export const serviceTokensRouter = createTRPCRouter({
  list: manageTokens.query(({ ctx }) => listServiceTokens(ctx.db)),

  create: manageTokens
    .input(createServiceTokenInputSchema)
    .mutation(({ ctx, input }) => createServiceToken(ctx.db, ctx.session.user, input, auditSourceOf(ctx.headers))),

  revoke: manageTokens
    .input(z.object({ tokenId: z.uuid("Not a token id.") }))
    .mutation(({ ctx, input }) => revokeServiceToken(ctx.db, ctx.session.user, input.tokenId, auditSourceOf(ctx.headers))),
});

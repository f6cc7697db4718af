import "server-only";

import { z } from "zod";

import { ROLES } from "@/lib/auth/permissions";
import { hasControlCharacters, noControlCharactersMessage } from "@/lib/text/control-characters";
import { listActiveSessions, revokeAllSessionsAsAdmin, revokeSessionAsAdmin } from "@/server/auth/portal-sessions";
import { auditSourceOf } from "@/server/audit/request-source";
import { createLocalUser, listUsers, resetUserPassword, setUserDisabled, setUserRole } from "@/server/auth/user-admin";
import { createTRPCRouter, requirePermission } from "@/server/trpc/init";

const manageUsers = requirePermission("users:manage");

const password = z.string().min(12, "Use at least 12 characters.").max(200, "Use at most 200 characters.");
const userId = z.uuid("Not a user id.");
const sessionId = z.uuid("Not a session id.");

export const usersRouter = createTRPCRouter({
  list: manageUsers.query(({ ctx }) => listUsers(ctx.db)),

  create: manageUsers
    .input(
      z.object({
        email: z
          .email("Enter a valid email address.")
          .max(254)
          .refine((email) => !hasControlCharacters(email), noControlCharactersMessage("Email addresses")),
        name: z
          .string()
          .trim()
          .min(1, "Enter a name.")
          .max(120)
          .refine((name) => !hasControlCharacters(name), noControlCharactersMessage("Names")),
        role: z.enum(ROLES),
        password,
      }),
    )
    .mutation(({ ctx, input }) => createLocalUser(ctx.db, ctx.session.user, input)),

  setRole: manageUsers.input(z.object({ userId, role: z.enum(ROLES) })).mutation(({ ctx, input }) => setUserRole(ctx.db, ctx.session.user, input)),

  setDisabled: manageUsers.input(z.object({ userId, disabled: z.boolean() })).mutation(({ ctx, input }) => setUserDisabled(ctx.db, ctx.session.user, input)),

  resetPassword: manageUsers.input(z.object({ userId, password })).mutation(({ ctx, input }) => resetUserPassword(ctx.db, ctx.session.user, input)),

  sessions: manageUsers.input(z.object({ userId })).query(({ ctx, input }) => listActiveSessions(ctx.db, input.userId)),

  revokeSession: manageUsers
    .input(z.object({ userId, sessionId }))
    .mutation(({ ctx, input }) => revokeSessionAsAdmin(ctx.db, ctx.session.user, input, auditSourceOf(ctx.headers))),

  revokeAllSessions: manageUsers
    .input(z.object({ userId }))
    .mutation(({ ctx, input }) => revokeAllSessionsAsAdmin(ctx.db, ctx.session.user, input, auditSourceOf(ctx.headers))),
});

import "server-only";

import { createCallerFactory, createTRPCRouter } from "@/server/trpc/init";
import { auditRouter } from "@/server/trpc/routers/audit";
import { accountRouter } from "@/server/trpc/routers/account";
import { fleetRouter } from "@/server/trpc/routers/fleet";
import { logsRouter } from "@/server/trpc/routers/logs";
import { migrationRouter } from "@/server/trpc/routers/migration";
import { registryRouter } from "@/server/trpc/routers/registry";
import { runbooksRouter } from "@/server/trpc/routers/runbooks";
import { serviceTokensRouter } from "@/server/trpc/routers/service-tokens";
import { tenantsRouter } from "@/server/trpc/routers/tenants";
import { usersRouter } from "@/server/trpc/routers/users";

/**
 * One line per domain router (server/trpc/routers/<domain>.ts exporting `<domain>Router`).
 * Every procedure in them must be built from `requirePermission(...)`; the permission-matrix
 * test walks this router and fails on any that is not.
 */
export const appRouter = createTRPCRouter({
  account: accountRouter,
  audit: auditRouter,
  fleet: fleetRouter,
  logs: logsRouter,
  migration: migrationRouter,
  registry: registryRouter,
  runbooks: runbooksRouter,
  serviceTokens: serviceTokensRouter,
  tenants: tenantsRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);

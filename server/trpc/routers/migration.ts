import "server-only";

import { createTRPCRouter } from "@/server/trpc/init";
import { migrationChecklistRouter } from "@/server/trpc/routers/migration-checklist";
import { migrationGatesRouter } from "@/server/trpc/routers/migration-gates";
import { migrationTenantsRouter } from "@/server/trpc/routers/migration-tenants";
import { migrationWavesRouter } from "@/server/trpc/routers/migration-waves";

/** Migration tracking: the checklist, its automatic gates, each tenant's state and the waves. */
export const migrationRouter = createTRPCRouter({
  checklist: migrationChecklistRouter,
  gates: migrationGatesRouter,
  tenants: migrationTenantsRouter,
  waves: migrationWavesRouter,
});

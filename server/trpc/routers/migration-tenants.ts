import "server-only";

import { createTRPCRouter } from "@/server/trpc/init";

export const migrationTenantsRouter = createTRPCRouter({});

import "server-only";

import { createTRPCRouter } from "@/server/trpc/init";

export const serviceTokensRouter = createTRPCRouter({});

import "server-only";

import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy, type TRPCQueryOptions } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache, createElement, type ReactNode } from "react";

import { makeQueryClient } from "@/lib/trpc/query-client";
import { createTRPCContext } from "@/server/trpc/init";
import { appRouter } from "@/server/trpc/root";

/** One query client per request, shared by every prefetch in that render. */
export const getQueryClient = cache(makeQueryClient);

const createContext = cache(async () => createTRPCContext({ headers: new Headers(await headers()) }));

/**
 * Server components call procedures in-process (no HTTP hop) with the same context, permission
 * checks and errors as the browser: `prefetch(trpc.tenants.list.queryOptions(input))`.
 */
export const trpc = createTRPCOptionsProxy({
  router: appRouter,
  ctx: createContext,
  queryClient: getQueryClient,
});

/** Direct calls for server components that need the data itself (not just a warm cache). */
export const serverCaller = cache(async () => appRouter.createCaller(await createContext()));

export function HydrateClient({ children }: { children: ReactNode }) {
  return createElement(HydrationBoundary, { state: dehydrate(getQueryClient()) }, children);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any procedure's query options (the create-t3-app helper's signature)
export function prefetch<T extends ReturnType<TRPCQueryOptions<any>>>(queryOptions: T): void {
  const queryClient = getQueryClient();
  if (queryOptions.queryKey[1]?.type === "infinite") {
    void queryClient.prefetchInfiniteQuery(queryOptions as never);
  } else {
    void queryClient.prefetchQuery(queryOptions);
  }
}

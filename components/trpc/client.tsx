"use client";

import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import superjson from "superjson";

import { makeQueryClient } from "@/lib/trpc/query-client";
import type { AppRouter } from "@/server/trpc/root";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

let browserQueryClient: QueryClient | undefined;

function getQueryClient(): QueryClient {
  // On the server every render gets its own client; in the browser one client lives for the tab.
  if (typeof window === "undefined") return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}

/** Same origin only: relative URLs keep cookies first-party and satisfy the origin check. */
const TRPC_URL = "/api/trpc";

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === "subscription",
          true: httpSubscriptionLink({ url: TRPC_URL, transformer: superjson }),
          false: httpBatchLink({
            // During SSR a query that was not prefetched would fetch over HTTP without the user's
            // cookies and fail; pages prefetch on the server (server/trpc/server.ts) instead.
            url: typeof window === "undefined" ? `http://127.0.0.1:${process.env.PORT ?? 3000}${TRPC_URL}` : TRPC_URL,
            transformer: superjson,
            headers: () => ({ "x-trpc-source": "react" }),
          }),
        }),
      ],
    }),
  );

  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

import { defaultShouldDehydrateQuery, QueryClient } from "@tanstack/react-query";
import superjson from "superjson";

import { errorDataOf } from "@/lib/trpc/error-data";
import { serializeForWire } from "@/lib/trpc/wire-format";

/** Shared by the server (prefetch + dehydrate) and the browser (hydrate), so both speak superjson. */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Server-prefetched data is fresh on arrival; live updates come from subscriptions.
        staleTime: 30_000,
        retry: (failureCount, error) => {
          // During SSR a retry would go over HTTP without the user's cookies; the browser retries.
          if (typeof window === "undefined") return false;
          const code = errorDataOf(error)?.code;
          if (code === "UNAUTHORIZED" || code === "FORBIDDEN" || code === "NOT_FOUND" || code === "BAD_REQUEST") return false;
          // A server prefetch that failed arrives redacted (no code); the first retry fetches it
          // again over HTTP and gets the real, readable error.
          return failureCount < 2;
        },
        retryDelay: (attempt) => Math.min(300 * 2 ** attempt, 3_000),
      },
      dehydrate: {
        serializeData: serializeForWire,
        // Streaming pending queries lets pages render before every prefetch resolves.
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
      hydrate: {
        deserializeData: superjson.deserialize,
      },
    },
  });
}

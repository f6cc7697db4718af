import { fetchRequestHandler } from "@trpc/server/adapters/fetch";

import { getApiSession } from "@/server/auth/session";
import { env } from "@/server/env";
import { createTRPCContext } from "@/server/trpc/init";
import { checkStateChangingRequest } from "@/server/trpc/request-guard";
import { appRouter } from "@/server/trpc/root";

export const dynamic = "force-dynamic";

async function handler(request: Request): Promise<Response> {
  const rejection = checkStateChangingRequest(request, env.NEXTAUTH_URL);
  if (rejection) {
    // Shaped like a tRPC error so the client shows the message instead of a parse failure.
    const code = rejection.status === 415 ? "UNSUPPORTED_MEDIA_TYPE" : "FORBIDDEN";
    return Response.json(
      { error: { message: rejection.message, code: -32003, data: { code, httpStatus: rejection.status, userMessage: rejection.message } } },
      { status: rejection.status, headers: { "cache-control": "no-store" } },
    );
  }

  // proxy.ts skips this route (it is the hot path), so the session is read here, once per request.
  const { session, refreshCookie } = await getApiSession(request.headers);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => createTRPCContext({ headers: request.headers, session }),
    responseMeta: () => {
      const headers = new Headers({ "cache-control": "no-store" });
      if (refreshCookie) headers.append("set-cookie", refreshCookie);
      return { headers };
    },
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        console.error(`tRPC ${path ?? "<no path>"} failed:`, error.cause ?? error);
      }
    },
  });
}

export { handler as GET, handler as POST };

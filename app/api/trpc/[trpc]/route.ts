import { fetchRequestHandler } from "@trpc/server/adapters/fetch";

import type { FormattedErrorData } from "@/lib/trpc/error-data";
import { recordDenial } from "@/server/audit/denials";
import { getApiSession, getSessionFromHeaders } from "@/server/auth/session";
import { env } from "@/server/env";
import { drainAware, drainRefusal, processDrain } from "@/server/http/drain";
import { REQUEST_ID_HEADER, requestIdOf } from "@/server/http/request-id";
import { STRICT_TRANSPORT_SECURITY } from "@/server/http/strict-transport";
import { serverLog } from "@/server/log";
import { readBoundedBody, tooLargeMessage, trpcBodyLimit } from "@/server/http/body-limit";
import { createTRPCContext } from "@/server/trpc/init";
import { checkStateChangingRequest } from "@/server/trpc/request-guard";
import { appRouter } from "@/server/trpc/root";
import { runtime } from "@/server/runtime";

export const dynamic = "force-dynamic";

/** Shaped like a tRPC error so the client shows the message instead of a parse failure. */
function refusal(status: 403 | 413 | 415, message: string): Response {
  const data = {
    code: status === 415 ? "UNSUPPORTED_MEDIA_TYPE" : status === 413 ? "PAYLOAD_TOO_LARGE" : "FORBIDDEN",
    httpStatus: status,
    userMessage: message,
    appCode: null,
    zodError: null,
  } satisfies FormattedErrorData;
  return Response.json({ error: { message, code: -32003, data } }, { status, headers: { "cache-control": "no-store" } });
}

/**
 * A cross-site mutation that carries a user's session is a forged request in their name: recorded
 * as denied. Without a session it could do nothing, and is not recorded (see recordDenial).
 */
async function recordCrossSiteRefusal(request: Request, reason: string): Promise<void> {
  const session = await getSessionFromHeaders(request.headers);
  if (!session) return;
  await recordDenial(runtime().db, {
    user: session.user,
    action: "route.call",
    targetKind: "route",
    targetId: new URL(request.url).pathname,
    details: { reason },
    headers: request.headers,
  });
}

/** Refused once the process drains (server/http/drain.ts); the client retries and reaches another replica. */
function shuttingDown(): Response {
  const message = "This portal process is shutting down; try again.";
  const data = { code: "SERVICE_UNAVAILABLE", httpStatus: 503, userMessage: message, appCode: null, zodError: null } satisfies FormattedErrorData;
  return drainRefusal({ error: { message, code: -32603, data } });
}

async function answer(incoming: Request): Promise<Response> {
  const rejection = checkStateChangingRequest(incoming, env.NEXTAUTH_URL);
  if (rejection) {
    if (rejection.status === 403) await recordCrossSiteRefusal(incoming, rejection.message);
    return refusal(rejection.status, rejection.message);
  }
  const bounded = await readBoundedBody(incoming, trpcBodyLimit(new URL(incoming.url).pathname));
  if (!bounded.ok) return refusal(413, tooLargeMessage(bounded.limit));
  const request = bounded.request;

  // proxy.ts skips this route (it is the hot path), so the session is read here, once per request.
  const { session, refreshCookie } = await getApiSession(request.headers);
  const requestId = requestIdOf(request.headers);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => createTRPCContext({ headers: request.headers, session, requestId }),
    responseMeta: () => {
      const headers = new Headers({ "cache-control": "no-store", [REQUEST_ID_HEADER]: requestId });
      if (STRICT_TRANSPORT_SECURITY) headers.set("strict-transport-security", STRICT_TRANSPORT_SECURITY);
      if (refreshCookie) headers.append("set-cookie", refreshCookie);
      return { headers };
    },
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        serverLog().error({ requestId, procedure: path ?? null, err: error.cause ?? error }, `tRPC ${path ?? "<no path>"} failed`);
      }
    },
  });
}

const handler = drainAware(processDrain(), answer, shuttingDown);

export { handler as GET, handler as POST };

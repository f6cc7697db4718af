import "server-only";

import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import type { ZodError } from "zod";

import { can, type Permission } from "@/lib/auth/permissions";
import type { AppErrorCode, FormattedErrorData } from "@/lib/trpc/error-data";
import { recordDenial } from "@/server/audit/denials";
import { getSessionFromHeaders, type AppSession } from "@/server/auth/session";
import type { PrismaClient } from "@/server/db/generated/client";
import { AppError } from "@/server/errors/app-error";
import { REQUEST_ID_HEADER, requestIdOf, withRequestId } from "@/server/http/request-id";
import { serverLog } from "@/server/log";
import { portalMetrics } from "@/server/metrics/portal-metrics";
import { runtime } from "@/server/runtime";

/**
 * The one wrapper of the portal's own route handlers (downloads and exports a signed-in browser
 * fetches): signed in, the permission (refusals audited), started from the portal itself (a link
 * on another site must not make a browser download and audit something in its user's name), and
 * every failure answered in words with its status, never a bare 500 or a stack: an AppError with
 * its own status and userMessage, anything else (the database or the cluster not answering) a 503
 * that says so, with the detail in the server log.
 */
export type RouteErrorFormat = "text" | "json";

const STATUS_OF: Record<AppErrorCode | "UNAUTHORIZED", { status: number; code: TRPC_ERROR_CODE_KEY }> = {
  UNAUTHORIZED: { status: 401, code: "UNAUTHORIZED" },
  NOT_FOUND: { status: 404, code: "NOT_FOUND" },
  BAD_REQUEST: { status: 400, code: "BAD_REQUEST" },
  FORBIDDEN: { status: 403, code: "FORBIDDEN" },
  CONFLICT: { status: 409, code: "CONFLICT" },
  UNPROCESSABLE: { status: 422, code: "UNPROCESSABLE_CONTENT" },
  UNAVAILABLE: { status: 503, code: "SERVICE_UNAVAILABLE" },
  INTERNAL: { status: 500, code: "INTERNAL_SERVER_ERROR" },
};

export function plainText(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

/** An error as the portal's other JSON answers carry it (proxy.ts, tRPC): `error.data.userMessage` is for people. */
export function jsonFailure(appCode: AppErrorCode | "UNAUTHORIZED", userMessage: string): Response {
  const { status, code } = STATUS_OF[appCode];
  const data: FormattedErrorData = { code, httpStatus: status, userMessage, appCode: appCode === "UNAUTHORIZED" ? null : appCode, zodError: null };
  return Response.json({ error: { message: userMessage, code: TRPC_ERROR_CODES_BY_KEY[code], data } }, { status, headers: { "cache-control": "no-store" } });
}

export function failure(format: RouteErrorFormat, appCode: AppErrorCode | "UNAUTHORIZED", userMessage: string): Response {
  return format === "json" ? jsonFailure(appCode, userMessage) : plainText(STATUS_OF[appCode].status, userMessage);
}

/** A query string or path parameter zod refused: one line per issue, naming the field. */
export function badInput(format: RouteErrorFormat, error: ZodError): Response {
  return failure(format, "BAD_REQUEST", error.issues.map((issue) => `${issue.path.join(".") || "query"}: ${issue.message}`).join("\n"));
}

export interface PortalRouteContext<Params> {
  user: AppSession["user"];
  db: PrismaClient;
  params: Params;
}

export interface PortalRouteOptions {
  /** The route as the audit log names it, e.g. "/api/audit/export" (or the request's own path). */
  route: string | ((request: Request) => string);
  permission: Permission;
  /** What a cross-site request is told: where in the portal the download starts. */
  crossSiteMessage: string;
  errors?: RouteErrorFormat;
  /** Server-log prefix for an unexpected failure, e.g. "[audit-export]". */
  logPrefix: string;
  /** The permission refusal's words, when the default ("The viewer role does not have …") is not enough. */
  forbiddenMessage?: (role: string) => string;
}

export function portalRoute<Params = Record<string, never>>(
  options: PortalRouteOptions,
  handle: (request: Request, context: PortalRouteContext<Params>) => Promise<Response>,
): (request: Request, routeContext?: { params: Promise<Params> }) => Promise<Response> {
  const format = options.errors ?? "text";
  // A route whose path holds ids is labelled by its log prefix, so the metric keeps few series.
  const metricRoute = typeof options.route === "string" ? options.route : options.logPrefix.replace(/^\[|\]$/g, "");
  return async (request, routeContext) => {
    const end = portalMetrics().routeDuration.startTimer({ route: metricRoute, method: request.method });
    const requestId = requestIdOf(request.headers);
    const response = await answer(request, requestId, routeContext);
    response.headers.set(REQUEST_ID_HEADER, requestId);
    end({ status: String(response.status) });
    return response;
  };

  async function answer(incoming: Request, requestId: string, routeContext?: { params: Promise<Params> }): Promise<Response> {
    // Every audit row the handler writes (through auditSourceOf(request.headers)) carries the id.
    const request = new Request(incoming, { headers: withRequestId(incoming.headers, requestId) });
    const route = typeof options.route === "string" ? options.route : options.route(request);
    try {
      const session = await getSessionFromHeaders(request.headers);
      if (!session) return failure(format, "UNAUTHORIZED", "Sign in to continue.");
      const { user } = session;
      const { db } = runtime();
      const denial = { user, action: "route.call", targetKind: "route", targetId: route, headers: request.headers } as const;
      if (!can(user.role, options.permission)) {
        await recordDenial(db, { ...denial, details: { permission: options.permission, role: user.role } });
        return failure(
          format,
          "FORBIDDEN",
          options.forbiddenMessage?.(user.role) ?? `The ${user.role} role does not have the ${options.permission} permission.`,
        );
      }
      // Browsers send Sec-Fetch-Site; "none" is a typed URL or a bookmark.
      const site = request.headers.get("sec-fetch-site");
      if (site && site !== "same-origin" && site !== "none") {
        await recordDenial(db, { ...denial, details: { reason: `cross-site request (Sec-Fetch-Site: ${site})` } });
        return failure(format, "FORBIDDEN", options.crossSiteMessage);
      }
      const params = ((await routeContext?.params) ?? {}) as Params;
      return await handle(request, { user, db, params });
    } catch (error) {
      if (error instanceof AppError) return failure(format, error.code, error.userMessage);
      serverLog().error({ requestId, route, method: request.method, err: error }, `${options.logPrefix} ${request.method} ${route} failed`);
      return failure(
        format,
        "UNAVAILABLE",
        `The portal could not answer this now: its database or the cluster did not respond. Try again in a moment (request id ${requestId}).`,
      );
    }
  }
}

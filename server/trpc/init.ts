import "server-only";

import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";

import type { FormattedErrorData } from "@/lib/trpc/error-data";
import { wireTransformer } from "@/lib/trpc/wire-format";
import { can, type Permission } from "@/lib/auth/permissions";
import { recordDenial } from "@/server/audit/denials";
import { getSessionFromHeaders, type AppSession } from "@/server/auth/session";
import type { PrismaClient } from "@/server/db/client";
import { AppError, describeError, toTRPCError } from "@/server/errors/app-error";
import { runtime } from "@/server/runtime";
import { requestIdOf, withRequestId } from "@/server/http/request-id";
import { portalMetrics } from "@/server/metrics/portal-metrics";

export interface TRPCContext {
  session: AppSession | null;
  /** The request's headers, with its id set (x-request-id), so audit rows read the same id. */
  headers: Headers;
  /** The request's id: in its audit rows, its log lines and its error answers. */
  requestId?: string;
  /** The process's Prisma client (from server/runtime.ts; the session lookup opened it anyway). */
  db: PrismaClient;
  /**
   * Called right after a permission check passes. Only the permission-matrix test sets it (to stop
   * the call there, before any handler touches the database or the cluster).
   */
  permissionProbe?: (permission: Permission) => void;
}

export interface TRPCMeta {
  /** Every procedure declares the permission it needs; the matrix test fails on any without. */
  permission?: Permission;
}

export async function createTRPCContext(opts: { headers: Headers; session?: AppSession | null; requestId?: string }): Promise<TRPCContext> {
  const session = opts.session !== undefined ? opts.session : await getSessionFromHeaders(opts.headers);
  const requestId = opts.requestId ?? requestIdOf(opts.headers);
  return { session, headers: withRequestId(opts.headers, requestId), requestId, db: runtime().db };
}

const t = initTRPC
  .context<TRPCContext>()
  .meta<TRPCMeta>()
  .create({
    // Inputs in superjson; answers through the cheaper writer of the same format (wire-format.ts).
    transformer: { input: superjson, output: wireTransformer },
    // Every subscription says something at least every 4 s, even when nothing changes, so a browser
    // that has heard nothing for 10 s knows the stream is gone (a dead proxy or a sleeping laptop
    // close no socket) and its link reconnects: the page says "Reconnecting…" instead of "Live".
    sse: { ping: { enabled: true, intervalMs: 4_000 }, client: { reconnectAfterInactivityMs: 10_000 } },
    errorFormatter({ shape, error, ctx }) {
      const described = describeError(error);
      const requestId = ctx?.requestId;
      // Stacks stay in the server log; responses never carry one.
      const { stack: _stack, ...data } = shape.data;
      return {
        ...shape,
        // zod's own message is a JSON dump of its issues, and an unexpected error's message can
        // carry internals (paths, hosts); both go out as the readable text. The server log
        // (onError in the route handler) keeps the original.
        message: described.zodError || shape.data.code === "INTERNAL_SERVER_ERROR" ? described.userMessage : shape.message,
        data: { ...data, ...described, ...(requestId ? { requestId } : {}) } satisfies FormattedErrorData,
      };
    },
  });

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/** Domain code throws AppError; convert it here once so every procedure reports it the same way. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const converted = toTRPCError(result.error.cause);
    return { ...result, error: converted };
  }
  return result;
});

/** How long each procedure takes and how it ends, for /metrics (unauthenticated calls included). */
const timed = t.middleware(async ({ path, type, next }) => {
  const end = portalMetrics().trpcDuration.startTimer({ procedure: path, type });
  const result = await next();
  end({ code: result.ok ? "OK" : result.error.code });
  return result;
});

/** Signed-in users only; narrows `ctx.session` to non-null for everything stacked on top. */
const protectedProcedure = t.procedure
  .use(timed)
  .use(appErrors)
  .use(({ ctx, next }) => {
    if (!ctx.session?.user) {
      throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
    }
    return next({ ctx: { ...ctx, session: ctx.session } });
  });

/**
 * The only builder routers use: the permission is checked before input parsing and the handler,
 * and recorded in `meta` so the matrix test can walk every procedure.
 */
export function requirePermission(permission: Permission) {
  return protectedProcedure.meta({ permission }).use(async ({ ctx, path, next }) => {
    const { user } = ctx.session;
    if (!can(user.role, permission)) {
      await recordDenial(ctx.db, {
        user,
        action: "procedure.call",
        targetKind: "procedure",
        targetId: path,
        details: { permission, role: user.role },
        headers: ctx.headers,
      });
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `The ${user.role} role does not have the ${permission} permission.`,
      });
    }
    ctx.permissionProbe?.(permission);
    return next();
  });
}

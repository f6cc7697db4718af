import { Readable } from "node:stream";

import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";

import { can } from "@/lib/auth/permissions";
import { tenantIdSchema } from "@/lib/tenants/tenant-id";
import type { AppErrorCode, FormattedErrorData } from "@/lib/trpc/error-data";
import { recordAuditEvent } from "@/server/audit/audit-log";
import { recordDenial } from "@/server/audit/denials";
import { auditSourceOf } from "@/server/audit/request-source";
import { getSessionFromHeaders } from "@/server/auth/session";
import { env } from "@/server/env";
import { AppError } from "@/server/errors/app-error";
import { isClusterDown } from "@/server/runbooks/diagnostics/namespace-objects";
import { diagnosticsFileName, planDiagnostics, planSummary, streamDiagnostics } from "@/server/runbooks/diagnostics/archive";
import { runtime } from "@/server/runtime";
import { getTenantDetail } from "@/server/tenants/tenant-service";

export const dynamic = "force-dynamic";

const PERMISSION = "runbook:run";

const STATUS_OF: Record<AppErrorCode, { status: number; code: TRPC_ERROR_CODE_KEY }> = {
  NOT_FOUND: { status: 404, code: "NOT_FOUND" },
  BAD_REQUEST: { status: 400, code: "BAD_REQUEST" },
  FORBIDDEN: { status: 403, code: "FORBIDDEN" },
  CONFLICT: { status: 409, code: "CONFLICT" },
  UNPROCESSABLE: { status: 422, code: "UNPROCESSABLE_CONTENT" },
  UNAVAILABLE: { status: 503, code: "SERVICE_UNAVAILABLE" },
  INTERNAL: { status: 500, code: "INTERNAL_SERVER_ERROR" },
};

/** An error as the portal's other JSON answers carry it (proxy.ts, tRPC): `error.data.userMessage` is for people. */
function failure(appCode: AppErrorCode | "UNAUTHORIZED", userMessage: string): Response {
  const { status, code } = appCode === "UNAUTHORIZED" ? { status: 401, code: "UNAUTHORIZED" as const } : STATUS_OF[appCode];
  const data: FormattedErrorData = { code, httpStatus: status, userMessage, appCode: appCode === "UNAUTHORIZED" ? null : appCode, zodError: null };
  return Response.json({ error: { message: userMessage, code: TRPC_ERROR_CODES_BY_KEY[code], data } }, { status, headers: { "cache-control": "no-store" } });
}

/**
 * GET /api/tenants/<id>/diagnostics: the "Collect diagnostics" runbook, a .tar.gz of the tenant's
 * namespace (objects without Secrets, events, a describe-like summary, logs, volume usage and a
 * README), streamed as it is collected and capped at DIAGNOSTICS_MAX_MIB. Needs runbook:run;
 * recorded in the audit log before the first byte. Problems before that are JSON errors.
 */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = await getSessionFromHeaders(request.headers);
  if (!session) return failure("UNAUTHORIZED", "Sign in to continue.");
  const { user } = session;
  const { db } = runtime();
  const route = new URL(request.url).pathname;
  const denial = { user, action: "route.call", targetKind: "route", targetId: route, headers: request.headers } as const;
  if (!can(user.role, PERMISSION)) {
    await recordDenial(db, { ...denial, details: { permission: PERMISSION, role: user.role } });
    return failure("FORBIDDEN", `The ${user.role} role does not have the ${PERMISSION} permission, which collecting diagnostics needs.`);
  }
  // As for log downloads: a link on another site must not make a signed-in browser collect (and audit) an archive.
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    await recordDenial(db, { ...denial, details: { reason: `cross-site request (Sec-Fetch-Site: ${site})` } });
    return failure("FORBIDDEN", "Diagnostics are collected from the portal itself: open the tenant and use Actions → Collect diagnostics.");
  }

  const parsed = tenantIdSchema.safeParse((await context.params).id);
  if (!parsed.success) return failure("BAD_REQUEST", parsed.error.issues[0]?.message ?? "Tenant id is not valid.");
  const tenantId = parsed.data;

  try {
    const tenant = await getTenantDetail(runtime().tenants, tenantId);
    const source = runtime().clusters.forTenant(tenant);
    const plan = await planDiagnostics(source, tenant, { signal: request.signal });
    const now = new Date();
    const maxBytes = env.DIAGNOSTICS_MAX_MIB * 1024 * 1024;
    const fileName = diagnosticsFileName(tenant.databaseName, now);
    await recordAuditEvent(db, {
      actor: { user },
      action: "runbook.diagnostics",
      targetKind: "tenant",
      targetId: tenantId,
      source: auditSourceOf(request.headers),
      details: { ...planSummary(plan, { maxBytes }), fileName },
    });

    const archive = streamDiagnostics(source, plan, { collectedBy: { name: user.name, email: user.email }, now, maxBytes, signal: request.signal });
    archive.finished.catch((error: unknown) => {
      if (!request.signal.aborted) console.error(`[diagnostics] ${fileName} failed while streaming`, error);
    });
    return new Response(Readable.toWeb(archive.stream) as ReadableStream<Uint8Array>, {
      headers: {
        "content-type": "application/gzip",
        "content-disposition": `attachment; filename="${fileName}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (error) {
    if (error instanceof AppError) return failure(error.code, error.userMessage);
    if (isClusterDown(error)) {
      return failure("UNAVAILABLE", `The tenant's cluster cannot be read right now (${error.summary}). Try again shortly.`);
    }
    console.error(`[diagnostics] collecting for tenant ${tenantId} failed`, error);
    return failure("INTERNAL", "Collecting diagnostics failed on the server. Try again; if it keeps failing, tell an administrator.");
  }
}

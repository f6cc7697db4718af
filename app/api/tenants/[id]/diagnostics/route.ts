import { Readable } from "node:stream";

import { tenantIdSchema } from "@/lib/tenants/tenant-id";
import { recordAuditEvent } from "@/server/audit/audit-log";
import { auditSourceOf } from "@/server/audit/request-source";
import { env } from "@/server/env";
import { AppError } from "@/server/errors/app-error";
import { jsonFailure, portalRoute } from "@/server/http/portal-route";
import { isClusterDown } from "@/server/runbooks/diagnostics/namespace-objects";
import { diagnosticsFileName, planDiagnostics, planSummary, streamDiagnostics } from "@/server/runbooks/diagnostics/archive";
import { runtime } from "@/server/runtime";
import { getTenantDetail } from "@/server/tenants/tenant-service";

export const dynamic = "force-dynamic";

const PERMISSION = "runbook:run" as const;

/**
 * GET /api/tenants/<id>/diagnostics: the "Collect diagnostics" runbook, a .tar.gz of the tenant's
 * namespace (objects without Secrets, events, a describe-like summary, logs, volume usage and a
 * README), streamed as it is collected and capped at DIAGNOSTICS_MAX_MIB. Needs runbook:run;
 * recorded in the audit log before the first byte. Problems before that are JSON errors.
 */
export const GET = portalRoute<{ id: string }>(
  {
    route: (request) => new URL(request.url).pathname,
    permission: PERMISSION,
    crossSiteMessage: "Diagnostics are collected from the portal itself: open the tenant and use Actions → Collect diagnostics.",
    errors: "json",
    logPrefix: "[diagnostics]",
    forbiddenMessage: (role) => `The ${role} role does not have the ${PERMISSION} permission, which collecting diagnostics needs.`,
  },
  async (request, { user, db, params }) => {
    const parsed = tenantIdSchema.safeParse(params.id);
    if (!parsed.success) return jsonFailure("BAD_REQUEST", parsed.error.issues[0]?.message ?? "Tenant id is not valid.");
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
      if (error instanceof AppError) return jsonFailure(error.code, error.userMessage);
      if (isClusterDown(error)) {
        return jsonFailure("UNAVAILABLE", `The tenant's cluster cannot be read right now (${error.summary}). Try again shortly.`);
      }
      console.error(`[diagnostics] collecting for tenant ${tenantId} failed`, error);
      return jsonFailure("INTERNAL", "Collecting diagnostics failed on the server. Try again; if it keeps failing, tell an administrator.");
    }
  },
);

import "server-only";

import { z } from "zod";

import { TENANT_MIGRATION_STATE_LABELS } from "@/lib/migration/tenant-states";
import { tenantStepReportSchema } from "@/lib/migration/tenant-state-schemas";
import { tenantIdSchema } from "@/lib/tenants/tenant-id";
import { recordAuditEvent, type AuditActor, type AuditOutcome } from "@/server/audit/audit-log";
import { auditSourceOf } from "@/server/audit/request-source";
import type { PrismaClient } from "@/server/db/generated/client";
import { AppError } from "@/server/errors/app-error";
import { readBoundedBody } from "@/server/http/body-limit";
import { authenticateServiceToken } from "@/server/migration/service-tokens";
import { recordAttestedStep } from "@/server/migration/tenant-steps";

/** A step report is a few fields; the evidence text is at most 4,000 characters. */
export const STEP_REPORT_BODY_LIMIT_BYTES = 32 * 1024;

const ACTION = "migration.api.step";

function answer(status: number, body: Record<string, unknown>): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}

/**
 * The tenant segment as the audit row can hold it: PostgreSQL text refuses NUL, and a lone
 * surrogate is no UTF-8. Only a malformed id (answered 400) has either.
 */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/** zod's issues as one sentence per field, for a script's log. */
function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message)).join("; ");
}

/**
 * POST /api/migration/v1/tenants/<tenantId>/steps, the migration scripts' report of a step they
 * did outside the cluster (backup taken, Swarm stopped, data copied, DNS switched). Authenticated
 * by a service token with the migration:report scope; every call leaves an audit row, refused
 * ones included (outcome denied for the token, failure for the rest).
 */
export async function handleStepReport(db: PrismaClient, request: Request, rawTenantId: string): Promise<Response> {
  const source = auditSourceOf(request.headers);
  const targetId = printable(rawTenantId.slice(0, 100));
  const audit = (actor: AuditActor, outcome: AuditOutcome, details: Record<string, unknown>) =>
    recordAuditEvent(db, { actor, action: ACTION, targetKind: "tenant", targetId, outcome, details, source });

  const auth = await authenticateServiceToken(db, request.headers.get("authorization"), "migration:report");
  if (!auth.ok) {
    const actor = auth.token ? { name: `service-token:${auth.token.name}` } : { name: "unknown service token" };
    await audit(actor, "denied", { reason: auth.reason, ...(auth.token ? { tokenId: auth.token.id, prefix: auth.token.prefix } : {}) });
    return answer(auth.status, { error: auth.message });
  }
  const token = auth.token;
  const actor = { name: `service-token:${token.name}` };
  const tokenDetails = { tokenId: token.id, prefix: token.prefix };
  const fail = async (status: number, error: string, details: Record<string, unknown> = {}) => {
    await audit(actor, "failure", { ...tokenDetails, status, error, ...details });
    return answer(status, { error });
  };

  const tenantId = tenantIdSchema.safeParse(rawTenantId);
  if (!tenantId.success) return fail(400, describeIssues(tenantId.error));

  const bounded = await readBoundedBody(request, STEP_REPORT_BODY_LIMIT_BYTES);
  if (!bounded.ok) return fail(413, `The request body is larger than ${STEP_REPORT_BODY_LIMIT_BYTES / 1024} KB; a step report is a few fields.`);
  let json: unknown;
  try {
    json = JSON.parse(await bounded.request.text());
  } catch {
    return fail(400, 'The body must be JSON such as {"to": "backed-up", "evidence": "pg_dump s3://backups/…"}.');
  }
  const report = tenantStepReportSchema.safeParse(json);
  if (!report.success) return fail(400, describeIssues(report.error));

  try {
    const { from, state } = await recordAttestedStep(db, {
      tenantId: tenantId.data,
      report: report.data,
      actor,
      via: "token",
      tokenId: token.id,
      source,
    });
    // transitionTenant wrote the success row (migration.tenant-step) with the token's id.
    return answer(200, { tenantId: tenantId.data, from, state, stateLabel: TENANT_MIGRATION_STATE_LABELS[state] });
  } catch (error) {
    if (error instanceof AppError) {
      const status =
        error.code === "NOT_FOUND" ? 404 : error.code === "UNPROCESSABLE" || error.code === "CONFLICT" ? 409 : error.code === "BAD_REQUEST" ? 400 : 500;
      if (status !== 500) return fail(status, error.userMessage, { to: report.data.to });
    }
    console.error("[migration api] step report failed", error);
    return fail(500, "The step could not be recorded (a server error); nothing changed. Try again, or ask an admin to check the portal log.");
  }
}

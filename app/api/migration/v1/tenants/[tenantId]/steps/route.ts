import { handleStepReport } from "@/server/migration/step-report-api";
import { runtime } from "@/server/runtime";

export const dynamic = "force-dynamic";

/** The migration scripts report a step with a service token; see server/migration/step-report-api.ts and README.md. */
export async function POST(request: Request, context: { params: Promise<{ tenantId: string }> }): Promise<Response> {
  return handleStepReport(runtime().db, request, (await context.params).tenantId);
}

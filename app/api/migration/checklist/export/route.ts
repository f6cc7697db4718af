import { checklistFilterSchema, exportFormatSchema } from "@/lib/migration/checklist-schemas";
import { recordAuditEvent } from "@/server/audit/audit-log";
import { auditSourceOf } from "@/server/audit/request-source";
import { badInput, plainText, portalRoute } from "@/server/http/portal-route";
import { checklistCsv, checklistMarkdown } from "@/server/migration/checklist/checklist-export";
import { listChecklistTasks } from "@/server/migration/checklist/checklist-service";

export const dynamic = "force-dynamic";

/**
 * GET /api/migration/checklist/export?format=csv|md&week=…&workstream=…&status=…&owner=…&priority=…:
 * the tasks the Migration page shows for the same filters, as a CSV file or a Markdown document.
 */
export const GET = portalRoute(
  {
    route: "/api/migration/checklist/export",
    permission: "migration:read",
    crossSiteMessage: "Checklist exports start from the portal itself: open the Migration page and use Export.",
    logPrefix: "[checklist-export]",
  },
  async (request, { user, db }) => {
    const query = Object.fromEntries([...new URL(request.url).searchParams].filter(([, value]) => value !== ""));
    const format = exportFormatSchema.safeParse(query.format ?? "csv");
    if (!format.success) return plainText(400, `format: ${format.error.issues[0].message}`);
    const { format: _format, ...filterQuery } = query;
    const filter = checklistFilterSchema.safeParse(filterQuery);
    if (!filter.success) return badInput("text", filter.error);

    const tasks = await listChecklistTasks(db, filter.data);
    await recordAuditEvent(db, {
      actor: { user },
      action: "migration.checklist-export",
      targetKind: "migration-checklist",
      targetId: format.data,
      source: auditSourceOf(request.headers),
      details: { filter: filter.data, tasks: tasks.length },
    });

    const now = new Date();
    const stamp = now.toISOString().slice(0, 10);
    const body = format.data === "csv" ? checklistCsv(tasks) : checklistMarkdown(tasks, { generatedAt: now });
    return new Response(body, {
      headers: {
        "content-type": format.data === "csv" ? "text/csv; charset=utf-8" : "text/markdown; charset=utf-8",
        "content-disposition": `attachment; filename="migration-checklist_${stamp}.${format.data}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  },
);

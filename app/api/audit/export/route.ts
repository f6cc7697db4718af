import { auditFilterSchema } from "@/lib/audit/audit-list-schemas";
import { recordAuditEvent } from "@/server/audit/audit-log";
import { auditCsvHeader, auditCsvLines } from "@/server/audit/audit-csv";
import { streamAuditEvents } from "@/server/audit/audit-query";
import { auditSourceOf } from "@/server/audit/request-source";
import { badInput, portalRoute } from "@/server/http/portal-route";

export const dynamic = "force-dynamic";

const ROUTE = "/api/audit/export";
/** Rows per chunk the stream hands on: one batch of the query, turned into CSV at once. */
const CHUNK_ROWS = 500;

/**
 * GET /api/audit/export?who=…&action=…&target=…&outcome=…&from=…&to=…: the rows the Audit page
 * shows for the same query string (all pages), newest first, as a CSV file. The export is itself
 * recorded, with the filters it used.
 */
export const GET = portalRoute(
  {
    route: ROUTE,
    permission: "audit:read",
    crossSiteMessage: "Audit exports start from the portal itself: open the Audit page and use Export CSV.",
    logPrefix: "[audit-export]",
  },
  async (request, { user, db }) => {
    const query = Object.fromEntries([...new URL(request.url).searchParams].filter(([, value]) => value !== ""));
    const parsed = auditFilterSchema.safeParse(query);
    if (!parsed.success) return badInput("text", parsed.error);
    const filter = parsed.data;

    await recordAuditEvent(db, {
      actor: { user },
      action: "audit.export",
      targetKind: "audit-log",
      targetId: "csv",
      source: auditSourceOf(request.headers),
      details: { filter },
    });

    const rows = streamAuditEvents(db, filter);
    const encoder = new TextEncoder();
    let headerSent = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(auditCsvHeader()));
          return;
        }
        const chunk = [];
        for (let next = await rows.next(); !next.done; next = await rows.next()) {
          chunk.push(next.value);
          if (chunk.length === CHUNK_ROWS) break;
        }
        if (chunk.length > 0) controller.enqueue(encoder.encode(auditCsvLines(chunk)));
        if (chunk.length < CHUNK_ROWS) controller.close();
      },
      async cancel() {
        await rows.return(undefined);
      },
    });

    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
    return new Response(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="audit-log_${stamp}.csv"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  },
);

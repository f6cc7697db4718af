import { logFileName } from "@/components/logs/log-download";
import { can } from "@/lib/auth/permissions";
import { recordDenial } from "@/server/audit/denials";
import { getSessionFromHeaders } from "@/server/auth/session";
import { logSourceFromSearch, logSourceInput } from "@/lib/logs/log-request";
import { isNotFound, openLogStream } from "@/server/logs/log-service";
import { runtime } from "@/server/runtime";
import type { LogLine } from "@/lib/logs/types";

export const dynamic = "force-dynamic";

function text(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

const formatLine = (line: LogLine) => `${line.ts} ${line.pod}/${line.container} ${line.text}\n`;

/**
 * GET /api/logs/download: the same lines as a (non-follow) log view, streamed as a .log file.
 * Same permission as the viewer, and recorded the same way.
 */
export async function GET(request: Request): Promise<Response> {
  const session = await getSessionFromHeaders(request.headers);
  if (!session) return text(401, "Sign in to continue.");
  const { user } = session;
  const denial = { user, action: "route.call", targetKind: "route", targetId: "/api/logs/download", headers: request.headers } as const;
  if (!can(user.role, "logs:read")) {
    await recordDenial(runtime().db, { ...denial, details: { permission: "logs:read", role: user.role } });
    return text(403, `The ${user.role} role does not have the logs:read permission.`);
  }
  // A link or an image on another site would otherwise make a signed-in browser download (and
  // audit) a log in its user's name. Browsers send the header; "none" is a typed URL or a bookmark.
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    await recordDenial(runtime().db, { ...denial, details: { reason: `cross-site request (Sec-Fetch-Site: ${site})` } });
    return text(403, "Log downloads start from the portal itself: open the tenant's logs and use Download full log.");
  }

  const parsed = logSourceInput.safeParse(logSourceFromSearch(new URL(request.url).searchParams));
  if (!parsed.success) return text(400, parsed.error.issues.map((issue) => `${issue.path.join(".") || "query"}: ${issue.message}`).join("\n"));
  const input = parsed.data;

  let opened;
  try {
    opened = await openLogStream(runtime(), session.user, { ...input, follow: false }, "download", request.signal);
  } catch (error) {
    if (isNotFound(error)) return text(404, error.userMessage);
    throw error;
  }

  // The first event tells a missing pod or a failed read (an answer with a status code) from a log.
  const events = opened.events;
  const first = await events.next();
  if (!first.done && first.value.event.type === "status" && first.value.event.message) {
    const { state, message } = first.value.event;
    await events.return(undefined);
    return text(state === "ended" ? 404 : 502, message);
  }

  const encoder = new TextEncoder();
  let pendingFirst = first.done ? undefined : first.value.event;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const event = pendingFirst ?? (await events.next()).value?.event;
        pendingFirst = undefined;
        if (!event) {
          controller.close();
          return;
        }
        if (event.type === "lines") {
          controller.enqueue(encoder.encode(event.lines.map(formatLine).join("")));
          return;
        }
        if (event.state === "error") {
          controller.error(new Error(event.message ?? "reading the log failed"));
          return;
        }
      }
    },
    async cancel() {
      await events.return(undefined);
    },
  });

  const filename = logFileName(opened.databaseName, input.pod, input.container, new Date());
  return new Response(body, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

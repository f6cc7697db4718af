import { logFileName } from "@/components/logs/log-download";
import { badInput, plainText, portalRoute } from "@/server/http/portal-route";
import { logSourceInput } from "@/lib/logs/log-request";
import { logSourceFromSearch } from "@/lib/logs/log-source-search";
import { isNotFound, openLogStream } from "@/server/logs/log-service";
import { runtime } from "@/server/runtime";
import type { LogLine } from "@/lib/logs/types";

export const dynamic = "force-dynamic";

const formatLine = (line: LogLine) => `${line.ts} ${line.pod}/${line.container} ${line.text}\n`;

/**
 * GET /api/logs/download: the same lines as a (non-follow) log view, streamed as a .log file.
 * Same permission as the viewer, and recorded the same way.
 */
export const GET = portalRoute(
  {
    route: "/api/logs/download",
    permission: "logs:read",
    crossSiteMessage: "Log downloads start from the portal itself: open the tenant's logs and use Download full log.",
    logPrefix: "[logs-download]",
  },
  async (request, { user }) => {
    const parsed = logSourceInput.safeParse(logSourceFromSearch(new URL(request.url).searchParams));
    if (!parsed.success) return badInput("text", parsed.error);
    const input = parsed.data;

    let opened;
    try {
      opened = await openLogStream(runtime(), user, { ...input, follow: false }, "download", request.signal);
    } catch (error) {
      if (isNotFound(error)) return plainText(404, error.userMessage);
      throw error;
    }

    // The first event tells a missing pod or a failed read (an answer with a status code) from a log.
    const events = opened.events;
    const first = await events.next();
    if (!first.done && first.value.event.type === "status" && first.value.event.message) {
      const { state, message } = first.value.event;
      await events.return(undefined);
      return plainText(state === "ended" ? 404 : 502, message);
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
  },
);

import "server-only";

import { tracked } from "@trpc/server";
import { z } from "zod";

import { logSourceInput } from "@/lib/logs/log-request";
import { tenantIdSchema } from "@/lib/tenants/tenant-id";
import { listLogTargets, openLogStream } from "@/server/logs/log-service";
import { runtime } from "@/server/runtime";
import { createTRPCRouter, requirePermission } from "@/server/trpc/init";

const readLogs = requirePermission("logs:read");

export const logsRouter = createTRPCRouter({
  /** Pods and containers of a tenant with restart facts, from the watch cache. */
  targets: readLogs.input(z.object({ tenantId: tenantIdSchema })).query(({ input }) => listLogTargets(runtime(), input.tenantId)),

  /**
   * Lines and status changes, batched; every event's id is a cursor, so the SSE link's automatic
   * reconnect (Last-Event-ID) resumes after the last line delivered.
   */
  stream: readLogs
    .input(logSourceInput.extend({ follow: z.boolean(), lastEventId: z.string().max(8_192).nullish() }))
    .subscription(async ({ ctx, input, signal }) => {
      // Opened before the stream starts: an unknown tenant is a NOT_FOUND answer, not an INTERNAL
      // error event in the middle of the stream (see tenants.onChange).
      const opened = await openLogStream(runtime(), ctx.session.user, input, "stream", signal ?? new AbortController().signal);
      return (async function* () {
        for await (const { id, event } of opened.events) yield tracked(id, event);
      })();
    }),
});

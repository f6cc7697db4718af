import { z } from "zod";

import { tenantIdSchema } from "@/lib/tenants/tenant-id";

import { TIMELINE_KINDS, TIMELINE_MAX_ENTRIES } from "./timeline";

/** A timeline query's input (timeline.ts, without zod, is what the browser imports). */

export const tenantTimelineInputSchema = z.object({
  id: tenantIdSchema,
  /** Only these kinds; absent or empty means all. */
  kinds: z.array(z.enum(TIMELINE_KINDS, { error: `Timeline kinds are ${TIMELINE_KINDS.join(", ")}.` })).optional(),
  limit: z.number().int().min(1).max(TIMELINE_MAX_ENTRIES).optional(),
});
export type TenantTimelineInput = z.infer<typeof tenantTimelineInputSchema>;

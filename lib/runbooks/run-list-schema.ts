import { z } from "zod";

import { RUN_STATES } from "./run-views";

/**
 * The Runs page's filters; URL-held (one schema for the URL parser and the router). Apart from
 * run-views.ts, which the browser imports, so zod stays on the server.
 */
export const runListInputSchema = z.object({
  tenantId: z.string().uuid().optional(),
  runbookId: z.string().max(64).optional(),
  requestedBy: z.string().max(320).optional(),
  state: z.enum(RUN_STATES).optional(),
  /** ISO timestamps bounding requestedAt. */
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type RunListInput = z.infer<typeof runListInputSchema>;

import { z } from "zod";

import { hasControlCharacters, noControlCharactersMessage } from "@/lib/text/control-characters";

import { AUDIT_OUTCOMES } from "./audit-list";

/**
 * What an audit-log query may ask for: one field schema each, shared by the `audit.list` input,
 * the CSV export's query string and the Audit page's URL parser (components/audit/audit-list-params.ts),
 * which only adds the URL's own rules (numbers arrive as text, the page sizes the UI offers).
 * Apart from audit-list.ts, which the browser imports, so zod stays on the server.
 */

/** A search text; a NUL would reach the database (which refuses it) and the export's own audit row. */
const searchText = (what: string, maxLength: number) =>
  z
    .string()
    .trim()
    .max(maxLength, `${what} is limited to ${maxLength} characters`)
    .refine((value) => !hasControlCharacters(value), noControlCharactersMessage(what));

export const AUDIT_LIST_FIELDS = {
  /** Part of the actor's email (or name, for actors without an account), any case. */
  who: searchText("Who", 254),
  /** One action exactly, as listed by `audit.list`'s `actions`. */
  action: searchText("Action", 100),
  /** Part of the target's kind or id, any case. */
  target: searchText("Target", 200),
  outcome: z.enum(AUDIT_OUTCOMES, { error: () => `Outcome must be one of: ${AUDIT_OUTCOMES.join(", ")}` }),
  /** Events at or after this instant (ISO 8601 with a zone, e.g. 2026-12-02T09:00:00.000Z). */
  from: z.iso.datetime({ offset: true, error: "From must be a date and time such as 2026-12-02T09:00:00Z" }),
  /** Events before this instant. */
  to: z.iso.datetime({ offset: true, error: "To must be a date and time such as 2026-12-02T18:00:00Z" }),
  page: z.number().int("Page must be a whole number").min(1, "Page starts at 1").max(100_000, "Page is at most 100,000"),
  pageSize: z.number().int("Page size must be a whole number").min(1, "Page size is at least 1").max(200, "Page size is at most 200"),
};

/** Every field optional: the server fills in the defaults the Audit page uses (newest first, 50 a page). */
export const auditListInputSchema = z.object(AUDIT_LIST_FIELDS).partial();
export type AuditListInput = z.infer<typeof auditListInputSchema>;

/** The filters alone: what the CSV export takes (it has no pages). */
export const auditFilterSchema = auditListInputSchema.omit({ page: true, pageSize: true });
export type AuditFilter = z.infer<typeof auditFilterSchema>;

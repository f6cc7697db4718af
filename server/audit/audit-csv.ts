import "server-only";

import Papa from "papaparse";

import type { AuditEventRow } from "@/lib/audit/audit-list";

/** The export's columns, in order: the Audit page's, with the details as JSON text. */
export const AUDIT_CSV_COLUMNS = ["at", "actor", "action", "targetKind", "targetId", "outcome", "sourceAddress", "userAgent", "details"] as const;

// A cell starting with = + - @ would run as a formula in a spreadsheet; the user agent and target
// ids come from requests, so papaparse prefixes such cells with a quote.
const CSV_OPTIONS = { escapeFormulae: true, newline: "\r\n" } as const;

export function auditCsvHeader(): string {
  return `${Papa.unparse([AUDIT_CSV_COLUMNS as unknown as string[]], CSV_OPTIONS)}\r\n`;
}

/** CSV lines (each ending in CRLF) for a batch of rows, without the header. */
export function auditCsvLines(rows: AuditEventRow[]): string {
  if (rows.length === 0) return "";
  const cells = rows.map((row) => [
    row.at,
    row.actorEmail,
    row.action,
    row.targetKind,
    row.targetId,
    row.outcome,
    row.sourceAddress ?? "",
    row.userAgent ?? "",
    JSON.stringify(row.details ?? {}),
  ]);
  return `${Papa.unparse(cells, CSV_OPTIONS)}\r\n`;
}

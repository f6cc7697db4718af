import Papa from "papaparse";
import { describe, expect, it } from "vitest";

import type { AuditEventRow } from "@/lib/audit/audit-list";

import { AUDIT_CSV_COLUMNS, auditCsvHeader, auditCsvLines } from "./audit-csv";

const row: AuditEventRow = {
  id: "00000000-0000-4000-8000-000000000001",
  at: "2026-12-02T09:00:00.000Z",
  actorEmail: "viewer@test.local",
  actorId: null,
  action: "procedure.call",
  targetKind: "procedure",
  targetId: "users.list",
  outcome: "denied",
  sourceAddress: "203.0.113.7",
  userAgent: 'Agent "quoted", with comma',
  details: { permission: "users:manage" },
};

describe("audit CSV", () => {
  it("writes a header, then one quoted line per row that parses back to the row", () => {
    const text = auditCsvHeader() + auditCsvLines([row]);
    const parsed = Papa.parse<string[]>(text.trimEnd(), { newline: "\r\n" }).data;
    expect(parsed[0]).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(parsed[1]).toEqual([
      row.at,
      row.actorEmail,
      row.action,
      row.targetKind,
      row.targetId,
      row.outcome,
      row.sourceAddress,
      'Agent "quoted", with comma',
      '{"permission":"users:manage"}',
    ]);
  });

  it("keeps a spreadsheet from running a cell as a formula", () => {
    const lines = auditCsvLines([{ ...row, userAgent: '=HYPERLINK("http://example.invalid")' }]);
    expect(lines).toContain(`"'=HYPERLINK(""http://example.invalid"")"`);
  });
});

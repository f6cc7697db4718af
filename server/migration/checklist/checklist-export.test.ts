import Papa from "papaparse";
import { describe, expect, it } from "vitest";

import { CHECKLIST_CSV_COLUMNS, checklistCsv, checklistMarkdown } from "./checklist-export";
import type { ChecklistTaskView } from "./checklist-service";

const base: ChecklistTaskView = {
  id: "11111111-1111-4111-8111-111111111111",
  seedKey: "w2-test",
  week: 2,
  workstream: "testing",
  title: '=HYPERLINK("http://evil")',
  acceptance: "Line one\nline | two",
  priority: "must-have",
  status: "blocked",
  blockedReason: "Waiting | on nodes",
  owner: { id: "22222222-2222-4222-8222-222222222222", name: "Pat", email: "pm@fleetdeck.local" },
  dueDate: "2027-01-17",
  doneAt: null,
  gateId: "runbook-succeeded-in-staging",
  gateParam: "restart-instance",
  gateKey: "runbook-succeeded-in-staging:restart-instance",
  attestationDays: null,
  evidenceCount: 2,
  updatedAt: "2027-01-10T00:00:00.000Z",
};

describe("checklist export", () => {
  it("writes one CSV row per task under the header, with formulas defused", () => {
    const parsed = Papa.parse<string[]>(checklistCsv([base, { ...base, week: 1, status: "done", title: "Plain" }]).trim(), { newline: "\r\n" });
    expect(parsed.data[0]).toEqual([...CHECKLIST_CSV_COLUMNS]);
    expect(parsed.data).toHaveLength(3);
    const row = Object.fromEntries(CHECKLIST_CSV_COLUMNS.map((column, index) => [column, parsed.data[1][index]]));
    expect(row).toMatchObject({ week: "2", workstream: "Testing", priority: "Must-have", status: "Blocked", owner: "pm@fleetdeck.local", evidence: "2" });
    expect(row.title.startsWith("'=")).toBe(true);
    expect(row.automaticCheck).toContain("(restart-instance)");
  });

  it("writes Markdown grouped by week with escaped cells and checkboxes", () => {
    const markdown = checklistMarkdown([base, { ...base, week: 1, status: "done", title: "Plain" }], { generatedAt: new Date("2027-01-10T08:00:00Z") });
    expect(markdown.indexOf("## Week 1")).toBeLessThan(markdown.indexOf("## Week 2"));
    expect(markdown).toContain("1 of 2 tasks done");
    expect(markdown).toContain("| [x] | Plain |");
    expect(markdown).toContain("Blocked: Waiting \\| on nodes");
    expect(markdown).toContain("Line one line \\| two");
  });
});

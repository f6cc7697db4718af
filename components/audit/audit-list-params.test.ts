import { describe, expect, it } from "vitest";

import { auditListInputSchema } from "@/lib/audit/audit-list-schemas";

import { auditListInputOf, auditListParamsToSearch, DEFAULT_AUDIT_LIST_PARAMS } from "./audit-list-params";
import { parseAuditListParams } from "./parse-audit-list-params";

describe("audit list URL params", () => {
  it("reads every filter and round-trips through the canonical query string", () => {
    const raw = {
      who: "viewer",
      action: "procedure.call",
      target: "users",
      outcome: "denied",
      from: "2026-12-02T09:00:00.000Z",
      to: "2026-12-02T18:00:00Z",
      page: "2",
      pageSize: "100",
    };
    const { params, problems } = parseAuditListParams(raw);
    expect(problems).toEqual([]);
    expect(params).toEqual({ ...raw, page: 2, pageSize: 100 });
    const search = new URLSearchParams(auditListParamsToSearch(params));
    expect(parseAuditListParams(Object.fromEntries(search)).params).toEqual(params);
  });

  it("leaves defaults out of the URL and unset filters out of the query input", () => {
    expect(auditListParamsToSearch(DEFAULT_AUDIT_LIST_PARAMS)).toBe("");
    expect(auditListInputOf(DEFAULT_AUDIT_LIST_PARAMS)).toEqual({ page: 1, pageSize: 50 });
  });

  it("drops a bad parameter with a message and keeps the good ones", () => {
    const { params, problems } = parseAuditListParams({ who: "alice", outcome: "maybe", from: "yesterday", pageSize: "7" });
    expect(params).toEqual({ ...DEFAULT_AUDIT_LIST_PARAMS, who: "alice" });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('"maybe" is not a valid outcome');
  });

  it("builds inputs the audit.list schema accepts", () => {
    const { params } = parseAuditListParams({ outcome: "failure", target: "tenant" });
    expect(auditListInputSchema.parse(auditListInputOf(params))).toEqual({ outcome: "failure", target: "tenant", page: 1, pageSize: 50 });
  });
});

import { describe, expect, it } from "vitest";

import { runListInputSchema } from "@/lib/runbooks/run-list-schema";

import { parseRunListParams } from "./parse-run-list-params";
import { runListInputOf, runListParamsToSearch } from "./run-list-params";

const TENANT = "7d0c5a3e-8f1b-4c1e-9a55-0f3b2a1c9d11";

describe("parseRunListParams", () => {
  it("keeps valid filters and round-trips them through the URL", () => {
    const raw = {
      tenantId: TENANT,
      runbookId: "expand-volume",
      requestedBy: "ops@",
      state: "failed",
      from: "2026-12-01T08:00:00.000Z",
      to: "2026-12-02T08:00:00Z",
    };
    const { filters, problems } = parseRunListParams(raw);
    expect(problems).toEqual([]);
    expect(filters).toEqual(raw);
    expect(parseRunListParams(Object.fromEntries(new URLSearchParams(runListParamsToSearch(filters)))).filters).toEqual(filters);
  });

  it("drops and reports each bad value, keeping the good ones", () => {
    const { filters, problems } = parseRunListParams({ tenantId: "acme", state: "exploded", requestedBy: "ops", from: "yesterday" });
    expect(filters).toEqual({ requestedBy: "ops" });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('"acme"');
  });

  it("takes the first of repeated values and ignores empty ones", () => {
    expect(parseRunListParams({ state: ["running", "failed"], runbookId: "" }).filters).toEqual({ state: "running" });
  });

  it("builds an input the router accepts", () => {
    const { filters } = parseRunListParams({ tenantId: TENANT, state: "succeeded" });
    expect(runListInputSchema.parse(runListInputOf(filters))).toEqual({ tenantId: TENANT, state: "succeeded", limit: 50 });
    expect(runListParamsToSearch({})).toBe("");
  });
});

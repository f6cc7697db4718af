import { describe, expect, it } from "vitest";
import { parseTenantListParams } from "./parse-tenant-list-params";
import { DEFAULT_TENANT_LIST_PARAMS, tenantListParamsToSearch } from "./tenant-list-params";

describe("tenant list URL params", () => {
  it("reads repeated and comma-separated filters", () => {
    const { params, problems } = parseTenantListParams({ health: ["down", "degraded"], problem: "crash-loop,oom-killed", q: " acme " });
    expect(problems).toEqual([]);
    expect(params.health).toEqual(["down", "degraded"]);
    expect(params.problem).toEqual(["crash-loop", "oom-killed"]);
    expect(params.q).toBe("acme");
  });

  it("falls back per parameter and explains what was wrong", () => {
    const { params, problems } = parseTenantListParams({ page: "-3", pageSize: "7", sort: "drop table", health: "down", q: "x" });
    expect(params.page).toBe(1);
    expect(params.pageSize).toBe(25);
    expect(params.sort).toBe(DEFAULT_TENANT_LIST_PARAMS.sort);
    expect(params.health).toEqual(["down"]);
    expect(params.q).toBe("x");
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain("not a valid");
  });

  it("reads the cluster filter and reports an invalid cluster name in the link's own words", () => {
    expect(parseTenantListParams({ cluster: "east,west" })).toEqual({ params: { ...DEFAULT_TENANT_LIST_PARAMS, cluster: ["east", "west"] }, problems: [] });
    const { params, problems } = parseTenantListParams({ cluster: "East Coast", health: "down" });
    expect(params.cluster).toEqual([]);
    expect(params.health).toEqual(["down"]);
    expect(problems).toEqual(['"East Coast" is not a valid cluster filter; showing all clusters instead.']);
    expect(tenantListParamsToSearch({ ...DEFAULT_TENANT_LIST_PARAMS, cluster: ["west"] })).toBe("?cluster=west");
  });

  it("round-trips through the query string, leaving defaults out", () => {
    expect(tenantListParamsToSearch(DEFAULT_TENANT_LIST_PARAMS)).toBe("");
    const view = { ...DEFAULT_TENANT_LIST_PARAMS, q: "acme", health: ["down" as const], sort: "name" as const, page: 3, pageSize: 50 as const };
    const search = new URLSearchParams(tenantListParamsToSearch(view));
    const { params } = parseTenantListParams(Object.fromEntries([...search.keys()].map((key) => [key, search.getAll(key)])));
    expect(params).toEqual(view);
  });
});

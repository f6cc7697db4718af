import { describe, expect, it } from "vitest";
import { fleetParamsToSearch } from "./fleet-params";
import { parseFleetParams } from "./parse-fleet-params";

describe("fleet overview URL params", () => {
  it("reads repeated and comma-separated clusters, once each", () => {
    expect(parseFleetParams({})).toEqual({ params: { cluster: [] }, problems: [] });
    expect(parseFleetParams({ cluster: ["east", "west,east"] })).toEqual({ params: { cluster: ["east", "west"] }, problems: [] });
  });

  it("falls back to every cluster and says why when a name is invalid", () => {
    expect(parseFleetParams({ cluster: "east,<script>" })).toEqual({
      params: { cluster: [] },
      problems: ['"east,<script>" is not a valid cluster filter; showing all clusters instead.'],
    });
  });

  it("round-trips through the query string", () => {
    expect(fleetParamsToSearch({ cluster: [] })).toBe("");
    const search = new URLSearchParams(fleetParamsToSearch({ cluster: ["east", "west"] }));
    expect(parseFleetParams({ cluster: search.getAll("cluster") }).params.cluster).toEqual(["east", "west"]);
  });
});

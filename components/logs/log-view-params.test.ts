import { describe, expect, it } from "vitest";
import { DEFAULT_LOG_VIEW_PARAMS, downloadHrefOf, logSourceOf, logViewSearch } from "./log-view-params";
import { parseLogViewParams } from "./parse-log-view-params";

const TENANT = "3f1c2b4a-0000-4000-8000-000000000001";

describe("parseLogViewParams", () => {
  it("gives the defaults for an empty URL", () => {
    expect(parseLogViewParams({})).toEqual({ params: DEFAULT_LOG_VIEW_PARAMS, notices: [] });
  });

  it("reads every option", () => {
    const { params, notices } = parseLogViewParams({
      pod: "odoo-acme-1a2b3c4d-7d9f-x2x",
      container: "odoo",
      tail: "all",
      since: "1h",
      ts: "0",
      wrap: "1",
      q: "Traceback",
      filter: "1",
      regex: "true",
      case: "1",
      level: ["error,warning", "critical"],
      previous: "1",
    });
    expect(notices).toEqual([]);
    expect(params).toEqual({
      pod: "odoo-acme-1a2b3c4d-7d9f-x2x",
      container: "odoo",
      tail: "all",
      since: "1h",
      ts: false,
      wrap: true,
      q: "Traceback",
      filter: true,
      regex: true,
      case: true,
      level: ["ERROR", "WARNING"],
      previous: true,
    });
  });

  it("normalises a chosen time to ISO", () => {
    expect(parseLogViewParams({ since: "2026-11-23T10:00:00Z" }).params.since).toBe("2026-11-23T10:00:00.000Z");
  });

  it("falls back per parameter with a notice, keeping the good ones", () => {
    const { params, notices } = parseLogViewParams({ tail: "42", since: "yesterday", level: "LOUD", pod: "Not A Pod", q: "ok", wrap: "maybe" });
    expect(params).toEqual({ ...DEFAULT_LOG_VIEW_PARAMS, q: "ok" });
    expect(notices).toHaveLength(5);
    expect(notices[0]).toMatch(/"pod" had an invalid value .*all pods/);
  });

  it("refuses the previous container without a pod", () => {
    const { params, notices } = parseLogViewParams({ previous: "1" });
    expect(params.previous).toBe(false);
    expect(notices).toHaveLength(1);
  });
});

describe("logViewSearch", () => {
  it("leaves defaults out and round-trips", () => {
    expect(logViewSearch(DEFAULT_LOG_VIEW_PARAMS)).toBe("");
    const params = { ...DEFAULT_LOG_VIEW_PARAMS, pod: "p-1", container: "odoo", q: "a b", level: ["ERROR" as const], wrap: true };
    const search = logViewSearch(params);
    expect(parseLogViewParams(Object.fromEntries(new URLSearchParams(search))).params).toEqual(params);
  });
});

describe("logSourceOf / downloadHrefOf", () => {
  it("maps the options to the server's input", () => {
    expect(logSourceOf(TENANT, DEFAULT_LOG_VIEW_PARAMS)).toEqual({ tenantId: TENANT, tailLines: 1000 });
    expect(logSourceOf(TENANT, { ...DEFAULT_LOG_VIEW_PARAMS, pod: "p", container: "c", previous: true, tail: "all", since: "5m" })).toEqual({
      tenantId: TENANT,
      pod: "p",
      container: "c",
      previous: true,
      tailLines: 0,
      sinceSeconds: 300,
    });
    const iso = "2026-11-23T10:00:00.000Z";
    expect(logSourceOf(TENANT, { ...DEFAULT_LOG_VIEW_PARAMS, since: iso }).sinceTime).toBe(iso);
  });

  it("builds the download link with the same options", () => {
    const href = downloadHrefOf(logSourceOf(TENANT, { ...DEFAULT_LOG_VIEW_PARAMS, pod: "p", since: "24h" }));
    expect(href).toBe(`/api/logs/download?tenantId=${TENANT}&tailLines=1000&pod=p&sinceSeconds=86400`);
  });
});

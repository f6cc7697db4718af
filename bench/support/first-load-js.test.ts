import { describe, expect, it } from "vitest";

import { firstLoadJsRows, scriptSources, type RouteJs } from "./first-load-js";

describe("first-load JS", () => {
  it("counts each external script once and leaves out noModule polyfills and inline scripts", () => {
    const html =
      '<script src="/_next/static/chunks/a.js" async=""></script><script>self.__next_f.push([1,"x"])</script>' +
      '<script src="/_next/static/chunks/poly.js" noModule=""></script><script src="/_next/static/chunks/b.js?v=1&amp;x=2" async=""></script>' +
      '<script src="/_next/static/chunks/a.js" async=""></script>';
    expect(scriptSources(html)).toEqual(["/_next/static/chunks/a.js", "/_next/static/chunks/b.js?v=1&x=2"]);
  });

  it("fails a route above the budget and passes one at it", () => {
    const route = (name: string, gzipBytes: number): RouteJs => ({
      route: name,
      path: name,
      files: 3,
      rawBytes: gzipBytes * 3,
      gzipBytes,
      inlineBytes: 0,
      largest: [],
    });
    const rows = firstLoadJsRows([route("/a", 170_000), route("/b", 170_001)], 170);
    expect(rows.map((row) => [row.metric, row.value, row.verdict])).toEqual([
      ["first-load JS /a (3 files)", "170.0 kB", "PASS"],
      ["first-load JS /b (3 files)", "170.0 kB", "FAIL"],
    ]);
  });
});

import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { LogBuffer } from "./log-buffer";
import { LogLineRow } from "./log-line-row";
import { buildMatcher } from "./log-search";

function render(text: string, query = "") {
  const buffer = new LogBuffer();
  buffer.append([{ id: "1", ts: "2026-11-23T10:00:01.123456789Z", pod: "odoo-acme-1a2b3c4d-7d9f5-x2x9q", container: "odoo", text, level: "ERROR" }]);
  const matcher = buildMatcher({ query, regex: false, caseSensitive: false });
  return renderToStaticMarkup(createElement(LogLineRow, { line: buffer.at(0)!, showTimestamp: true, showSource: true, wrap: false, matcher, current: false }));
}

describe("LogLineRow", () => {
  it("shows markup in a log line as characters, never as elements", () => {
    const html = render('<img src=x onerror="alert(1)"><script>alert(2)</script>');
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;script&gt;");
  });

  it("renders ANSI colours as styles and control characters as visible symbols", () => {
    const html = render("\u001b[31mfailed\u001b[0m bell\u0007 back\u0008");
    expect(html).toContain('style="color:rgb(187, 0, 0)"');
    expect(html).toContain(">failed<");
    expect(html).toContain("bell\u2407 back\u2408");
    expect(html).not.toContain("\u001b");
  });

  it("marks search matches inside coloured text", () => {
    const html = render("\u001b[1mOperationalError\u001b[0m: host", "error");
    expect(html).toMatch(/<mark[^>]*>Error<\/mark>/);
    expect(html).toContain('data-level="ERROR"');
    expect(html).toContain("2026-11-23 10:00:01.123");
    expect(html).toContain("7d9f5-x2x9q/odoo");
  });
});

import { describe, expect, it } from "vitest";

import { REQUEST_ID_HEADER, requestIdOf, withRequestId } from "./request-id";

describe("request ids", () => {
  it("keeps a well-formed id a proxy gave the request and makes one otherwise", () => {
    expect(requestIdOf(new Headers({ [REQUEST_ID_HEADER]: "lb-0123456789abcdef" }))).toBe("lb-0123456789abcdef");
    const made = requestIdOf(new Headers());
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf(new Headers())).not.toBe(made);
    // Too short, too long or with characters a log line should not carry: replaced.
    for (const bad of ["short", "x".repeat(129), "id with spaces", "id\u0000nul"]) {
      expect(requestIdOf(new Headers({ [REQUEST_ID_HEADER]: bad.replace("\u0000", "%00") }))).not.toBe(bad);
    }
  });

  it("sets the id on a copy of the headers, leaving the original as it was", () => {
    const original = new Headers({ accept: "application/json" });
    const copy = withRequestId(original, "req-0123456789");
    expect(copy.get(REQUEST_ID_HEADER)).toBe("req-0123456789");
    expect(copy.get("accept")).toBe("application/json");
    expect(original.has(REQUEST_ID_HEADER)).toBe(false);
  });
});

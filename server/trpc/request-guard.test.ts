import { describe, expect, it } from "vitest";

import { checkStateChangingRequest } from "@/server/trpc/request-guard";

const url = "http://127.0.0.1:3000/api/trpc/users.create";

function post(headers: Record<string, string>) {
  return { method: "POST", url, headers: new Headers({ host: "127.0.0.1:3000", ...headers }) };
}

describe("checkStateChangingRequest", () => {
  it("lets queries (GET) through untouched", () => {
    expect(checkStateChangingRequest({ method: "GET", url, headers: new Headers() })).toBeNull();
  });

  it("accepts a same-origin JSON mutation", () => {
    expect(
      checkStateChangingRequest(post({ "content-type": "application/json", origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin" })),
    ).toBeNull();
    expect(checkStateChangingRequest(post({ "content-type": "application/json; charset=utf-8", origin: "http://127.0.0.1:3000" }))).toBeNull();
  });

  it("refuses non-JSON bodies (form posts need no CORS preflight)", () => {
    for (const type of ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain"]) {
      expect(checkStateChangingRequest(post({ "content-type": type, origin: "http://127.0.0.1:3000" }))?.status).toBe(415);
    }
    expect(checkStateChangingRequest(post({ origin: "http://127.0.0.1:3000" }))?.status).toBe(415);
  });

  it("refuses other origins and cross-site fetches", () => {
    expect(checkStateChangingRequest(post({ "content-type": "application/json", origin: "https://evil.example" }))).toMatchObject({
      status: 403,
      message: expect.stringContaining("evil.example"),
    });
    expect(checkStateChangingRequest(post({ "content-type": "application/json", "sec-fetch-site": "cross-site" }))?.status).toBe(403);
    expect(checkStateChangingRequest(post({ "content-type": "application/json", "sec-fetch-site": "same-site" }))?.status).toBe(403);
  });

  it("refuses a mutation that carries neither Origin nor Sec-Fetch-Site", () => {
    expect(checkStateChangingRequest(post({ "content-type": "application/json" }))?.status).toBe(403);
  });

  it("honours the configured public URL and forwarded host behind a proxy", () => {
    const behindProxy = post({
      "content-type": "application/json",
      origin: "https://fleet.example.com",
      "x-forwarded-host": "fleet.example.com",
      "x-forwarded-proto": "https",
    });
    expect(checkStateChangingRequest(behindProxy)).toBeNull();
    expect(
      checkStateChangingRequest(post({ "content-type": "application/json", origin: "https://portal.example.com" }), "https://portal.example.com/"),
    ).toBeNull();
  });
});

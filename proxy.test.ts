import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";

import { proxy } from "./proxy";

const request = (path: string) => new NextRequest(new URL(path, "http://portal.test"));

describe("proxy: broken percent-encoding", () => {
  it("answers an API path, tRPC's included and signed out, with a 400 that says what is wrong", async () => {
    for (const path of ["/api/trpc/%E0%A4%A", "/api/trpc/tenants.get%E0", "/api/logs/download%FF"]) {
      const response = await proxy(request(path));
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body.error.data).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400 });
      expect(body.error.data.userMessage).toMatch(/^The address is not valid: a % must be followed by two hexadecimal digits/);
    }
  });

  it("shows a page path the not-found page instead of letting Next fail it with a 500", async () => {
    const response = await proxy(request("/tenants/%E0%A4%A/logs"));
    expect(response.headers.get("x-middleware-rewrite")).toMatch(/\/_not-found-address$/);
    expect(response.headers.get("content-security-policy")).toContain("script-src 'self' 'nonce-");
  });

  it("leaves well-formed escapes to the session gate", async () => {
    const response = await proxy(request("/tenants/%C3%A9"));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toContain("/sign-in?callbackUrl=%2Ftenants%2F%25C3%25A9");
  });
});

import { describe, expect, it } from "vitest";

import { safeCallbackPath } from "./callback-url";

describe("safeCallbackPath", () => {
  it.each([
    ["/tenants?health=down", "/tenants?health=down"],
    ["/tenants/3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f/logs#end", "/tenants/3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f/logs#end"],
    ["/a/../tenants", "/tenants"],
    // An encoded slash stays part of one path segment on this portal.
    ["/%2F%2Fevil.example/path", "/%2F%2Fevil.example/path"],
  ])("keeps the portal path %s", (input, expected) => {
    expect(safeCallbackPath(input)).toBe(expected);
  });

  it.each([
    ["a tab after the first slash", "/\t/evil.example/path"],
    ["a newline after the first slash", "/\n/evil.example/path"],
    ["a carriage return", "/\r/evil.example"],
    ["a protocol-relative URL", "//evil.example/path"],
    ["a slash and backslash", "/\\evil.example"],
    ["backslashes only", "\\\\evil.example"],
    ["a dot segment that leaves two slashes", "/.//evil.example"],
    ["a parent segment that leaves two slashes", "/x/..//evil.example"],
    ["an absolute http URL", "http://evil.example/"],
    ["an absolute https URL", "https://evil.example/"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a data: URL", "data:text/html,<script>alert(1)</script>"],
    ["a relative path", "tenants"],
    ["the sign-in page itself", "/sign-in?callbackUrl=/x"],
    ["the auth API", "/api/auth/signout"],
    ["nothing", undefined],
    ["an empty string", ""],
  ])("sends %s to the fleet overview", (_, input) => {
    expect(safeCallbackPath(input)).toBe("/");
  });

  it("takes the first of repeated parameters", () => {
    expect(safeCallbackPath(["/tenants", "//evil.example"])).toBe("/tenants");
  });
});

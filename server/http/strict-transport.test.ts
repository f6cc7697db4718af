import { describe, expect, it } from "vitest";

import { strictTransportSecurity } from "./strict-transport";

describe("strictTransportSecurity", () => {
  it("asks browsers to keep to https for a year when the public URL is https", () => {
    expect(strictTransportSecurity("https://fleet.example.com")).toBe("max-age=31536000");
  });

  it("sends nothing for a plain-http or unset public URL", () => {
    expect(strictTransportSecurity("http://127.0.0.1:3000")).toBeUndefined();
    expect(strictTransportSecurity(undefined)).toBeUndefined();
  });
});

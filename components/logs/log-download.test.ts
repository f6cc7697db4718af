import { describe, expect, it } from "vitest";
import { logFileLine, logFileName } from "./log-download";

describe("log download", () => {
  it("names files after tenant, pod, container and UTC time", () => {
    const at = new Date("2026-11-23T09:05:07.123Z");
    expect(logFileName("acme", "odoo-acme-1a2b3c4d-5f-x", "odoo", at)).toBe("acme_odoo-acme-1a2b3c4d-5f-x_odoo_20261123-090507.log");
    expect(logFileName("acme", undefined, undefined, at)).toBe("acme_all-pods_20261123-090507.log");
  });

  it("formats a line like the server's file", () => {
    expect(logFileLine({ ts: "2026-11-23T09:05:07.1Z", pod: "p", container: "c", plain: "hello" })).toBe("2026-11-23T09:05:07.1Z p/c hello");
  });
});

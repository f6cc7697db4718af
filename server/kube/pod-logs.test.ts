import { describe, expect, it } from "vitest";
import { podLogRequest } from "./pod-logs";

describe("podLogRequest", () => {
  it("asks for the container only, leaving every other parameter to the API's defaults", () => {
    expect(podLogRequest("tenant-acme", "odoo-acme-1a2b3c4d-7f9c8-x2k4q", { container: "odoo" })).toEqual({
      path: "/api/v1/namespaces/tenant-acme/pods/odoo-acme-1a2b3c4d-7f9c8-x2k4q/log",
      query: { container: "odoo" },
    });
  });

  it("passes a follow with timestamps resuming from a time, and a previous instance's tail", () => {
    expect(podLogRequest("ns", "p", { container: "c", follow: true, timestamps: true, sinceTime: "2026-11-23T10:00:01Z" }).query).toEqual({
      container: "c",
      follow: true,
      timestamps: true,
      sinceTime: "2026-11-23T10:00:01Z",
    });
    expect(podLogRequest("ns", "p", { container: "c", previous: true, tailLines: 100, limitBytes: 1024, sinceSeconds: 60 }).query).toEqual({
      container: "c",
      previous: true,
      tailLines: 100,
      limitBytes: 1024,
      sinceSeconds: 60,
    });
  });

  it("leaves out false flags but keeps zero counts", () => {
    expect(podLogRequest("ns", "p", { container: "c", follow: false, previous: false, timestamps: false, tailLines: 0, sinceSeconds: 0 }).query).toEqual({
      container: "c",
      tailLines: 0,
      sinceSeconds: 0,
    });
  });

  it("escapes names into the path", () => {
    expect(podLogRequest("a b", "p/q", { container: "c" }).path).toBe("/api/v1/namespaces/a%20b/pods/p%2Fq/log");
  });
});

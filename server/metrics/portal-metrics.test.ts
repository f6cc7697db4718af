import { describe, expect, it } from "vitest";

import { kubeVerb, portalMetrics } from "./portal-metrics";
import { metricsAuthorized } from "./scrape";

describe("the portal's metrics", () => {
  it("labels a watching GET as watch and every other request by its method", () => {
    expect(kubeVerb("GET", { watch: true, resourceVersion: "5" })).toBe("watch");
    expect(kubeVerb("GET", { limit: 500 })).toBe("get");
    expect(kubeVerb("GET", undefined)).toBe("get");
    expect(kubeVerb("PATCH", { dryRun: "All" })).toBe("patch");
  });

  it("is one registry per process, whichever copy of the module asks", () => {
    expect(portalMetrics()).toBe(portalMetrics());
  });

  it("accepts only the exact bearer token", () => {
    const token = "metrics-token-0123456789";
    expect(metricsAuthorized(`Bearer ${token}`, token)).toBe(true);
    expect(metricsAuthorized(`bearer ${token}`, token)).toBe(true);
    expect(metricsAuthorized(`Bearer ${token}x`, token)).toBe(false);
    expect(metricsAuthorized(token, token)).toBe(false);
    expect(metricsAuthorized(null, token)).toBe(false);
  });
});

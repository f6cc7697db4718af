import { describe, expect, it } from "vitest";

import { canonicalJson, objectDiff, planHashOf } from "./preview";

describe("the preview's diff and plan hash", () => {
  const before = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "odoo", namespace: "t", resourceVersion: "10", generation: 1, managedFields: [{ manager: "x" }] },
    spec: { replicas: 1, template: { metadata: { labels: { app: "odoo" } }, spec: { containers: [{ name: "odoo", image: "odoo:17" }] } } },
  };

  it("shows only the changed lines with context, without resourceVersion, generation or managedFields", () => {
    const after = structuredClone(before) as typeof before & { spec: { template: { metadata: { annotations?: Record<string, string> } } } };
    after.metadata.resourceVersion = "11";
    after.metadata.generation = 2;
    after.spec.template.metadata.annotations = { "kubectl.kubernetes.io/restartedAt": "2026-12-03T10:00:00Z" };
    const diff = objectDiff(before, after);
    expect(diff.startsWith("@@")).toBe(true);
    expect(diff.split("\n").filter((line) => line.startsWith("+") || line.startsWith("-"))).toEqual([
      "+      annotations:",
      "+        kubectl.kubernetes.io/restartedAt: 2026-12-03T10:00:00Z",
    ]);
    expect(diff).not.toMatch(/resourceVersion|generation|managedFields/);
    expect(objectDiff(before, structuredClone(before))).toBe("");
  });

  it("hashes the same plan the same whatever the key order, and a different pin differently", () => {
    const mutation = { type: "restart-deployment" as const, namespace: "t", name: "odoo", restartedAt: "x", resourceVersion: "10" };
    const a = planHashOf({ tenantId: "1", runbookId: "restart-instance", input: {}, mutations: [mutation] });
    const b = planHashOf({
      mutations: [{ resourceVersion: "10", restartedAt: "x", name: "odoo", namespace: "t", type: "restart-deployment" }],
      input: {},
      runbookId: "restart-instance",
      tenantId: "1",
    });
    expect(a).toBe(b);
    expect(planHashOf({ tenantId: "1", runbookId: "restart-instance", input: {}, mutations: [{ ...mutation, resourceVersion: "11" }] })).not.toBe(a);
    expect(canonicalJson({ b: 1, a: [undefined, { d: 2, c: 3 }] })).toBe('{"a":[null,{"c":3,"d":2}],"b":1}');
  });
});

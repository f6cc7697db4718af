import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "./test-cluster";

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster({ tenants: 1 });
});
afterAll(async () => {
  await c.close();
});

const BODIES = [
  "",
  "{",
  "[]",
  "null",
  "42",
  '"x"',
  '{"metadata":"x"}',
  '{"metadata":{"name":7}}',
  '{"metadata":{"name":"ok","labels":[1]}}',
  '{"metadata":{"name":"ok"},"spec":"x"}',
  '{"metadata":{"name":"ok"},"spec":{"containers":"x"}}',
  '{"metadata":{"name":"ok"},"spec":{"containers":[null,1,{"name":5}]}}',
  '{"metadata":{"name":"ok"},"spec":{"selector":"x","template":5}}',
  '[{"op":"nope"}]',
  '[{"op":"add","path":"/metadata/labels/x","value":{}}]',
  '{"metadata":{"labels":"x"}}',
  "\u0000\u0001",
];
const PATHS = [
  "/api/v1/namespaces/tenant-t0/pods",
  "/api/v1/namespaces/tenant-t0/pods/odoo-t0-00000000-abc12-x0",
  "/api/v1/namespaces/tenant-t0/pods/odoo-t0-00000000-abc12-x0/status",
  "/apis/apps/v1/namespaces/tenant-t0/deployments",
  "/apis/apps/v1/namespaces/tenant-t0/deployments/odoo-t0-00000000",
  "/apis/apps/v1/namespaces/tenant-t0/deployments/odoo-t0-00000000/scale",
  "/api/v1/namespaces/tenant-t0/persistentvolumeclaims/odoo-filestore",
  "/api/v1/namespaces",
  "/_sim/faults",
  "/api/v1/namespaces/tenant-t0/pods/%E0%A4%A",
];
const TYPES = [
  "application/json",
  "application/merge-patch+json",
  "application/json-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+yaml",
  "text/plain",
];

describe("bad input", () => {
  it("never crashes and answers every malformed request with a client error Status", async () => {
    const codes = new Set<number>();
    for (const path of PATHS) {
      for (const method of ["POST", "PUT", "PATCH"]) {
        for (const body of BODIES) {
          const type = method === "PATCH" ? TYPES[body.length % TYPES.length]! : "application/json";
          const res = await c.fetch(path, { method, headers: { "content-type": type }, body: body || undefined });
          const text = await res.text();
          codes.add(res.status);
          expect(res.status, `${method} ${path} ${type} ${body}`).toBeLessThan(500);
          if (res.status >= 400) expect(JSON.parse(text).kind, text).toBe("Status");
        }
      }
    }
    expect((await c.fetch("/api/v1/namespaces/tenant-t0/pods")).status).toBe(200);
    expect(codes.has(400)).toBe(true);
    await c.fetch("/_sim/faults", { method: "DELETE" });
  });
});

// What clients notice where the simulator used to differ from a real API server (issue 13; the
// differential suite, sim/differential.real-cluster.integration.test.ts, compares both).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, type TestCluster } from "./test-cluster";

let c: TestCluster;
const NS = "tenant-t0";

beforeAll(async () => {
  c = await startTestCluster({ tenants: 1 });
});
afterAll(async () => {
  await c.close();
});

const send = (method: string, path: string, body?: unknown, contentType = "application/json") =>
  c.fetch(path, { method, headers: { "content-type": contentType }, body: body === undefined ? undefined : JSON.stringify(body) });

describe("query booleans", () => {
  it("reads anything but 0/false as true, so the Python client's watch=True is a watch", async () => {
    const list = await (await c.fetch(`/api/v1/namespaces/${NS}/configmaps`)).json();
    const watch = await c.fetch(`/api/v1/namespaces/${NS}/configmaps?watch=True&timeoutSeconds=1&resourceVersion=${list.metadata.resourceVersion}`);
    expect(watch.status).toBe(200);
    expect(await watch.text()).not.toContain('"items"');
    const notWatch = await c.fetch(`/api/v1/namespaces/${NS}/configmaps?watch=False`);
    expect((await notWatch.json()).kind).toBe("ConfigMapList");
  });
});

describe("lists", () => {
  it("leave kind and apiVersion off their items (the list carries them); single reads keep them", async () => {
    const list = await (await c.fetch(`/api/v1/namespaces/${NS}/pods`)).json();
    expect(list).toMatchObject({ kind: "PodList", apiVersion: "v1" });
    expect(list.items.length).toBeGreaterThan(0);
    for (const item of list.items) expect(Object.keys(item)).not.toContain("kind");
    const one = await (await c.fetch(`/api/v1/namespaces/${NS}/pods/${list.items[0].metadata.name}`)).json();
    expect(one).toMatchObject({ kind: "Pod", apiVersion: "v1" });
  });
});

describe("watch history", () => {
  it("answers a watch from before the last compaction with 410 Expired, and resumes one from after it", async () => {
    const before = c.store.currentRv();
    await send("POST", `/api/v1/namespaces/${NS}/configmaps`, { metadata: { name: "compacted-away" } });
    c.store.compact(c.store.currentRv());
    const gone = await (await c.fetch(`/api/v1/namespaces/${NS}/configmaps?watch=true&resourceVersion=${before}&timeoutSeconds=1`)).text();
    expect(JSON.parse(gone.split("\n")[0]!)).toMatchObject({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired" } });
    const from = c.store.currentRv();
    await send("POST", `/api/v1/namespaces/${NS}/configmaps`, { metadata: { name: "after-compaction" } });
    const resumed = await (await c.fetch(`/api/v1/namespaces/${NS}/configmaps?watch=true&resourceVersion=${from}&timeoutSeconds=1`)).text();
    expect(JSON.parse(resumed.split("\n")[0]!)).toMatchObject({ type: "ADDED", object: { metadata: { name: "after-compaction" } } });
  });
});

describe("unknown fields", () => {
  const body = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "unknown", shoeSize: 42 }, data: { a: "1" }, colour: "blue" };

  it("are pruned with a Warning per field (fieldValidation=Warn, the default)", async () => {
    const created = await send("POST", `/api/v1/namespaces/${NS}/configmaps`, body);
    expect(created.status).toBe(201);
    expect(created.headers.get("warning")).toBe('299 - "unknown field \\"metadata.shoeSize\\"", 299 - "unknown field \\"colour\\""');
    const stored = await (await c.fetch(`/api/v1/namespaces/${NS}/configmaps/unknown`)).json();
    expect(stored.colour).toBeUndefined();
    expect(stored.metadata.shoeSize).toBeUndefined();
    expect(stored.data).toEqual({ a: "1" });
  });

  it("are 400 under fieldValidation=Strict and dropped silently under Ignore", async () => {
    const strict = await send("POST", `/api/v1/namespaces/${NS}/configmaps?fieldValidation=Strict`, { ...body, metadata: { name: "strict" } });
    expect(strict.status).toBe(400);
    expect((await strict.json()).message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "colour"');
    const ignored = await send("POST", `/api/v1/namespaces/${NS}/configmaps?fieldValidation=Ignore`, { ...body, metadata: { name: "ignored" } });
    expect(ignored.status).toBe(201);
    expect(ignored.headers.get("warning")).toBeNull();
    expect((await ignored.json()).colour).toBeUndefined();
  });

  it("in a patch are pruned too, nested ones named by their path", async () => {
    const deployment = (await (await c.fetch(`/apis/apps/v1/namespaces/${NS}/deployments`)).json()).items[0];
    const patched = await send(
      "PATCH",
      `/apis/apps/v1/namespaces/${NS}/deployments/${deployment.metadata.name}`,
      { spec: { template: { spec: { containers: [{ name: "odoo", imageColour: "red" }] } } } },
      "application/strategic-merge-patch+json",
    );
    expect(patched.status).toBe(200);
    expect(patched.headers.get("warning")).toBe('299 - "unknown field \\"spec.template.spec.containers[0].imageColour\\""');
    expect((await patched.json()).spec.template.spec.containers[0].imageColour).toBeUndefined();
  });
});

describe("foreground deletion", () => {
  it("keeps the owner, marked with the foregroundDeletion finalizer, until its blocking dependent is gone", async () => {
    const owner = await (await send("POST", `/api/v1/namespaces/${NS}/configmaps`, { metadata: { name: "fg-owner" } })).json();
    const ownerReferences = [{ apiVersion: "v1", kind: "ConfigMap", name: "fg-owner", uid: owner.metadata.uid, blockOwnerDeletion: true }];
    await send("POST", `/api/v1/namespaces/${NS}/configmaps`, { metadata: { name: "fg-dependent", ownerReferences, finalizers: ["example.com/hold"] } });
    const deleted = await send("DELETE", `/api/v1/namespaces/${NS}/configmaps/fg-owner`, { propagationPolicy: "Foreground" });
    expect(deleted.status).toBe(200);
    expect((await deleted.json()).metadata).toMatchObject({ finalizers: ["foregroundDeletion"], deletionTimestamp: expect.any(String) });
    await new Promise((r) => setTimeout(r, 300));
    const dependent = c.store.get("core/configmaps", NS, "fg-dependent")!;
    expect(dependent.metadata.deletionTimestamp).toBeDefined();
    expect(c.store.get("core/configmaps", NS, "fg-owner")?.metadata.finalizers).toEqual(["foregroundDeletion"]);

    await send("PATCH", `/api/v1/namespaces/${NS}/configmaps/fg-dependent`, { metadata: { finalizers: null } }, "application/merge-patch+json");
    for (let i = 0; i < 50 && c.store.get("core/configmaps", NS, "fg-owner"); i++) await new Promise((r) => setTimeout(r, 50));
    expect(c.store.get("core/configmaps", NS, "fg-owner")).toBeUndefined();
  });

  it("without blocking dependents goes at once after the collector's pass", async () => {
    await send("POST", `/api/v1/namespaces/${NS}/configmaps`, { metadata: { name: "fg-alone" } });
    expect((await send("DELETE", `/api/v1/namespaces/${NS}/configmaps/fg-alone?propagationPolicy=Foreground`)).status).toBe(200);
    for (let i = 0; i < 50 && c.store.get("core/configmaps", NS, "fg-alone"); i++) await new Promise((r) => setTimeout(r, 50));
    expect(c.store.get("core/configmaps", NS, "fg-alone")).toBeUndefined();
  });
});

describe("field ownership", () => {
  const apply = (manager: string, data: Record<string, string>, force = false) =>
    send(
      "PATCH",
      `/api/v1/namespaces/${NS}/configmaps/applied?fieldManager=${manager}${force ? "&force=true" : ""}`,
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "applied" }, data },
      "application/apply-patch+yaml",
    );
  type Entry = { manager: string; operation: string; fieldsV1: object };
  const owners = (body: { metadata: { managedFields?: Entry[] } }) => body.metadata.managedFields?.map((e) => [e.manager, e.operation, e.fieldsV1]);

  it("records the applier's fields, refuses another manager's different value with 409 FieldManagerConflict, and hands them over on force", async () => {
    const created = await apply("manager-a", { owned: "by-a" });
    expect(created.status).toBe(201);
    expect(owners(await created.json())).toEqual([["manager-a", "Apply", { "f:data": { "f:owned": {} } }]]);

    const conflict = await apply("manager-b", { owned: "by-b" });
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({
      reason: "Conflict",
      message: 'Apply failed with 1 conflict: conflict with "manager-a": .data.owned',
      details: { causes: [{ reason: "FieldManagerConflict", message: 'conflict with "manager-a"', field: ".data.owned" }] },
    });

    const forced = await apply("manager-b", { owned: "by-b" }, true);
    expect(forced.status).toBe(200);
    const body = await forced.json();
    expect(body.data).toEqual({ owned: "by-b" });
    expect(owners(body)).toEqual([["manager-b", "Apply", { "f:data": { "f:owned": {} } }]]);
  });

  it("shares a field applied with the value it already has, and gives plain writes Update entries", async () => {
    const shared = await apply("manager-c", { owned: "by-b" });
    expect(shared.status).toBe(200);
    // Sharing changed nothing in the object, so manager-c's entry has no time and sorts first (as on a real API server).
    const sharedBody = await shared.json();
    expect(owners(sharedBody)?.map(([manager]) => manager)).toEqual(["manager-c", "manager-b"]);
    expect(sharedBody.metadata.managedFields[0].time).toBeUndefined();
    const patched = await send(
      "PATCH",
      `/api/v1/namespaces/${NS}/configmaps/applied?fieldManager=patcher`,
      { data: { extra: "1" } },
      "application/merge-patch+json",
    );
    expect(owners(await patched.json())).toContainEqual(["patcher", "Update", { "f:data": { "f:extra": {} } }]);
  });

  it("removes a field an applier leaves out, unless another manager owns it too; a list item goes as a whole", async () => {
    const applyTo = (name: string, manager: string, data: Record<string, string>) =>
      send(
        "PATCH",
        `/api/v1/namespaces/${NS}/configmaps/${name}?fieldManager=${manager}`,
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data },
        "application/apply-patch+yaml",
      );
    expect((await applyTo("released", "first", { a: "1", b: "2", c: "3" })).status).toBe(201);
    // `second` shares c (same value): first leaving it out does not remove it.
    expect((await applyTo("released", "second", { c: "3" })).status).toBe(200);
    const after = await (await applyTo("released", "first", { a: "1" })).json();
    expect(after.data).toEqual({ a: "1", c: "3" });
    expect(owners(after)).toEqual([
      ["second", "Apply", { "f:data": { "f:c": {} } }],
      ["first", "Apply", { "f:data": { "f:a": {} } }],
    ]);

    const deployment = (containers: { name: string; image: string }[]) => ({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "applied-web" },
      spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers } } },
    });
    const path = `/apis/apps/v1/namespaces/${NS}/deployments/applied-web?fieldManager=deployer`;
    const sidecar = [
      { name: "odoo", image: "odoo:17.0" },
      { name: "sidecar", image: "busybox" },
    ];
    expect((await send("PATCH", path, deployment(sidecar), "application/apply-patch+yaml")).status).toBe(201);
    const trimmed = await (await send("PATCH", path, deployment([{ name: "odoo", image: "odoo:17.0" }]), "application/apply-patch+yaml")).json();
    expect(trimmed.spec.template.spec.containers.map((container: { name: string }) => container.name)).toEqual(["odoo"]);
  });

  it("needs a fieldManager for an apply (422 on PatchOptions)", async () => {
    const reply = await send("PATCH", `/api/v1/namespaces/${NS}/configmaps/applied`, { data: {} }, "application/apply-patch+yaml");
    expect(reply.status).toBe(422);
    expect((await reply.json()).details).toMatchObject({ kind: "PatchOptions", causes: [{ reason: "FieldValueRequired", field: "fieldManager" }] });
  });
});

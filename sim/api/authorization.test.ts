import { readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestAttributes } from "./authorization";
import { startTestCluster, type TestCluster } from "./test-cluster";

let c: TestCluster;
let portalToken: string;

const RBAC = "/apis/rbac.authorization.k8s.io/v1";

/** Where a manifest's object is created (the kinds server/kube/rbac.yaml holds). */
function collectionPath(object: { apiVersion: string; kind: string; metadata: { namespace?: string } }): string {
  const plural = `${object.kind.toLowerCase()}s`;
  const base = object.apiVersion === "v1" ? "/api/v1" : `/apis/${object.apiVersion}`;
  return object.metadata.namespace ? `${base}/namespaces/${object.metadata.namespace}/${plural}` : `${base}/${plural}`;
}

async function post(p: string, body: unknown, token?: string): Promise<Response> {
  return fetch(`${c.url}${p}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token ?? "test-token"}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function asPortal(p: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${c.url}${p}`, { ...init, headers: { authorization: `Bearer ${portalToken}`, ...(init.headers ?? {}) } });
}

async function tokenFor(namespace: string, name: string): Promise<Response> {
  return post(`/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, {
    apiVersion: "authentication.k8s.io/v1",
    kind: "TokenRequest",
    spec: { expirationSeconds: 3600 },
  });
}

beforeAll(async () => {
  c = await startTestCluster({ tenants: 2 });
  // The portal's own ClusterRoles and bindings, applied as a cluster admin would.
  const manifest = readFileSync(path.join(__dirname, "../../server/kube/rbac.yaml"), "utf8");
  for (const document of parseAllDocuments(manifest)) {
    const object = document.toJS() as { apiVersion: string; kind: string; metadata: { namespace?: string } } | null;
    if (!object) continue;
    const reply = await post(collectionPath(object), object);
    if (reply.status !== 201) throw new Error(`${object.kind}: ${reply.status} ${await reply.text()}`);
  }
  const reply = await tokenFor("fleetdeck", "fleetdeck");
  expect(reply.status).toBe(201);
  const tokenRequest = (await reply.json()) as { kind: string; status: { token: string; expirationTimestamp: string } };
  expect(tokenRequest.kind).toBe("TokenRequest");
  portalToken = tokenRequest.status.token;
});
afterAll(async () => {
  await c.close();
});

describe("RBAC in the simulator: the portal's ServiceAccount gets exactly server/kube/rbac.yaml", () => {
  it("reads what the reader role lists: the watch feeds, pod logs, the runbooks' gets", async () => {
    expect((await asPortal("/api/v1/pods")).status).toBe(200);
    expect((await asPortal("/apis/apps/v1/deployments?watch=true&timeoutSeconds=1")).status).toBe(200);
    expect((await asPortal("/api/v1/namespaces/tenant-t0/pods/odoo-t0-00000000-abc12-x0/log")).status).toBe(200);
    expect((await asPortal("/apis/apps/v1/namespaces/tenant-t0/deployments/odoo-t0-00000000")).status).toBe(200);
    // Discovery is open to every authenticated user (the bootstrap system:discovery role).
    expect((await asPortal("/apis")).status).toBe(200);
    expect((await asPortal("/version")).status).toBe(200);
  });

  it("refuses the rest with the API server's 403: who, which verb, which resource, where", async () => {
    const secret = await asPortal("/api/v1/namespaces/tenant-t0/secrets/odoo-admin");
    expect(secret.status).toBe(403);
    expect(await secret.json()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message:
        'secrets "odoo-admin" is forbidden: User "system:serviceaccount:fleetdeck:fleetdeck" cannot get resource "secrets" in API group "" in the namespace "tenant-t0"',
      reason: "Forbidden",
      details: { name: "odoo-admin", kind: "secrets" },
      code: 403,
    });
    const namespaces = await asPortal("/api/v1/namespaces/tenant-t0", { method: "DELETE" });
    expect(namespaces.status).toBe(403);
    expect(((await namespaces.json()) as { message: string }).message).toBe(
      'namespaces "tenant-t0" is forbidden: User "system:serviceaccount:fleetdeck:fleetdeck" cannot delete resource "namespaces" in API group "" in the namespace "tenant-t0"',
    );
    const deployments = await asPortal("/apis/apps/v1/deployments", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(deployments.status).toBe(403);
    expect(await deployments.json()).toMatchObject({
      message:
        'deployments.apps is forbidden: User "system:serviceaccount:fleetdeck:fleetdeck" cannot create resource "deployments" in API group "apps" at the cluster scope',
      details: { group: "apps", kind: "deployments" },
    });
    // The simulator's control API is the cluster admin's.
    const control = await asPortal("/_sim/faults", { method: "POST", body: "{}" });
    expect(control.status).toBe(403);
    expect(((await control.json()) as { message: string }).message).toBe(
      'forbidden: User "system:serviceaccount:fleetdeck:fleetdeck" cannot create path "/_sim/faults"',
    );
  });

  it("grants a Role only in its namespace, and a rule's resourceNames only those names", async () => {
    await post("/api/v1/namespaces/tenant-t0/serviceaccounts", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "auditor" } });
    await post(`${RBAC}/namespaces/tenant-t0/roles`, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "one-configmap" },
      rules: [{ apiGroups: [""], resources: ["configmaps"], resourceNames: ["settings"], verbs: ["get"] }],
    });
    const binding = await post(`${RBAC}/namespaces/tenant-t0/rolebindings`, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "auditor" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "one-configmap" },
      subjects: [{ kind: "ServiceAccount", name: "auditor", namespace: "tenant-t0" }],
    });
    expect(binding.status).toBe(201);
    const token = ((await (await tokenFor("tenant-t0", "auditor")).json()) as { status: { token: string } }).status.token;
    const as = (p: string) => fetch(`${c.url}${p}`, { headers: { authorization: `Bearer ${token}` } });
    await post("/api/v1/namespaces/tenant-t0/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: {} });
    expect((await as("/api/v1/namespaces/tenant-t0/configmaps/settings")).status).toBe(200);
    expect((await as("/api/v1/namespaces/tenant-t0/configmaps/other")).status).toBe(403);
    expect((await as("/api/v1/namespaces/tenant-t1/configmaps/settings")).status).toBe(403);
    expect((await as("/api/v1/namespaces/tenant-t0/configmaps")).status).toBe(403);

    // The token dies with its ServiceAccount.
    const deleted = await fetch(`${c.url}/api/v1/namespaces/tenant-t0/serviceaccounts/auditor`, {
      method: "DELETE",
      headers: { authorization: "Bearer test-token" },
    });
    expect(deleted.status).toBe(200);
    expect((await as("/api/v1/namespaces/tenant-t0/configmaps/settings")).status).toBe(401);
  });

  it("answers 401 to a token it never issued and 404 to a TokenRequest for a missing ServiceAccount", async () => {
    expect((await fetch(`${c.url}/api/v1/pods`, { headers: { authorization: "Bearer sim-sa.forged" } })).status).toBe(401);
    const missing = await tokenFor("fleetdeck", "nobody");
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toBe('serviceaccounts "nobody" not found');
  });

  it("validates roles and bindings as the API server does", async () => {
    const noVerbs = await post(`${RBAC}/clusterroles`, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "empty-rule" },
      rules: [{ apiGroups: [""], resources: ["pods"] }],
    });
    expect(noVerbs.status).toBe(422);
    expect(((await noVerbs.json()) as { details: { causes: { field: string }[] } }).details.causes.map((cause) => cause.field)).toEqual(["rules[0].verbs"]);
    const roleInClusterBinding = await post(`${RBAC}/clusterrolebindings`, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "to-a-role" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "one-configmap" },
      subjects: [],
    });
    expect(roleInClusterBinding.status).toBe(422);
    const changed = await fetch(`${c.url}${RBAC}/clusterrolebindings/fleetdeck-reader`, {
      method: "PATCH",
      headers: { authorization: "Bearer test-token", "content-type": "application/merge-patch+json" },
      body: JSON.stringify({ roleRef: { name: "fleetdeck-runbooks" } }),
    });
    expect(changed.status).toBe(422);
    expect(((await changed.json()) as { details: { causes: { field: string }[] } }).details.causes.map((cause) => cause.field)).toEqual(["roleRef"]);
  });
});

describe("requestAttributes: a path read the way the API server's RequestInfo reads it", () => {
  const read = (method: string, p: string) => {
    const url = new URL(p, "http://sim");
    return requestAttributes(method, url.pathname, url.searchParams);
  };

  it("names the verb, resource, subresource, namespace and name", () => {
    expect(read("GET", "/api/v1/namespaces/a/pods/p/log")).toMatchObject({ verb: "get", resource: "pods", subresource: "log", namespace: "a", name: "p" });
    expect(read("POST", "/api/v1/namespaces/a/pods/p/eviction")).toMatchObject({ verb: "create", subresource: "eviction" });
    expect(read("GET", "/apis/apps/v1/deployments?watch=1")).toMatchObject({ verb: "watch", group: "apps", namespace: "" });
    expect(read("GET", "/api/v1/watch/namespaces/a/pods")).toMatchObject({ verb: "watch", namespace: "a", name: "" });
    expect(read("DELETE", "/api/v1/namespaces/a/configmaps")).toMatchObject({ verb: "deletecollection" });
    // A namespace is its own namespace; a list narrowed to one name by fieldSelector is authorized as that name.
    expect(read("GET", "/api/v1/namespaces/a")).toMatchObject({ verb: "get", resource: "namespaces", namespace: "a", name: "a" });
    expect(read("GET", "/api/v1/namespaces/a/pods?fieldSelector=metadata.name%3Dp")).toMatchObject({ verb: "list", name: "p" });
    expect(read("GET", "/apis")).toMatchObject({ resourceRequest: false, verb: "get", path: "/apis" });
  });
});

import { odooHealthProxyPath } from "@/server/runbooks/verify-instance";
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { requestFor } from "./cluster-writes";
import { RESOURCE_PATHS } from "./kinds";
import type { KubeMutation } from "./mutations";

interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const documents = parseAllDocuments(readFileSync(new URL("./rbac.yaml", import.meta.url), "utf8")).map((d) => d.toJS());
const roles = documents.filter((d) => d.kind === "ClusterRole");
const reader = roles.find((d) => d.metadata.name === "fleetdeck-reader");
const runbooks = roles.find((d) => d.metadata.name === "fleetdeck-runbooks");

function allows(rules: PolicyRule[], group: string, resource: string, verb: string) {
  return rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
}

/** The (group, resource, verb) an API request needs, as the apiserver's authorizer names them. */
function attributesOf(method: string, path: string): { group: string; resource: string; verb: string } {
  const parts = path.split("/").filter(Boolean);
  const core = parts[0] === "api";
  const group = core ? "" : parts[1];
  const rest = parts.slice(core ? 2 : 3); // namespaces/<ns>/<resource>/<name>/<subresource>
  const verb = { PATCH: "patch", POST: "create", DELETE: "delete", GET: "get" }[method] ?? method;
  return { group, resource: rest[4] ? `${rest[2]}/${rest[4]}` : rest[2], verb };
}

const SAMPLES: Exclude<KubeMutation, { type: "create-job-from-cronjob" }>[] = [
  { type: "restart-deployment", namespace: "t", name: "d", restartedAt: "2026-01-01T00:00:00Z" },
  { type: "annotate-deployment", namespace: "t", name: "d", annotations: { a: "b" } },
  { type: "scale-deployment", namespace: "t", name: "d", replicas: 0 },
  { type: "evict-pod", namespace: "t", name: "p", uid: "u" },
  { type: "force-delete-pod", namespace: "t", name: "p", uid: "u" },
  { type: "expand-volume", namespace: "t", name: "v", storage: "20Gi" },
];

describe("least-privilege RBAC manifest", () => {
  it.each(Object.entries(RESOURCE_PATHS))("the reader may list and watch %s (the cache reads nothing else of it)", (resource, path) => {
    const group = path.startsWith("/api/v1") ? "" : path.split("/")[2];
    for (const verb of ["list", "watch"]) expect(allows(reader.rules, group, resource, verb), `${verb} ${resource}`).toBe(true);
    expect(allows(reader.rules, group, resource, "get"), `get ${resource}`).toBe(false);
  });

  it("the reader may read the kubelet's volume stats, pod logs and what the diagnostics archive lists", () => {
    expect(allows(reader.rules, "", "nodes/proxy", "get")).toBe(true);
    expect(allows(reader.rules, "", "pods/log", "get")).toBe(true);
    for (const [group, resource] of [
      ["", "configmaps"],
      ["batch", "cronjobs"],
      ["policy", "poddisruptionbudgets"],
      ["", "resourcequotas"],
    ]) {
      expect(allows(reader.rules, group, resource, "list"), resource).toBe(true);
    }
  });

  it("the reader writes nothing", () => {
    for (const rule of reader.rules as PolicyRule[]) expect(rule.verbs.filter((v) => !["get", "list", "watch"].includes(v))).toEqual([]);
  });

  it.each(SAMPLES)("the runbooks role allows the request of $type", (mutation) => {
    const { request } = requestFor(mutation);
    const { group, resource, verb } = attributesOf(request.method, request.path);
    expect(allows(runbooks.rules, group, resource, verb), `${verb} ${group}/${resource}`).toBe(true);
  });

  it.each(SAMPLES)("the runbooks role allows reading what $type changes first (the preview's before)", (mutation) => {
    const { request } = requestFor(mutation);
    const before = mutation.type === "scale-deployment" ? request.path : request.path.replace(/\/eviction$/, "");
    const { group, resource } = attributesOf("GET", before);
    expect(allows(runbooks.rules, group, resource, "get"), `get ${group}/${resource}`).toBe(true);
  });

  it("the runbooks role allows back up now: get the CronJob, create the Job", () => {
    expect(allows(runbooks.rules, "batch", "cronjobs", "get")).toBe(true);
    expect(allows(runbooks.rules, "batch", "jobs", "create")).toBe(true);
  });

  it("the runbooks role grants only what the mutations need", () => {
    const needed = new Set(
      [
        ...SAMPLES.map((m) => requestFor(m).request).map((r) => attributesOf(r.method, r.path)),
        ...SAMPLES.map((m) => requestFor(m).request).map((r) => ({ ...attributesOf("GET", r.path.replace(/\/eviction$/, "")), verb: "get" })),
        { group: "batch", resource: "cronjobs", verb: "get" },
        { group: "batch", resource: "jobs", verb: "create" },
        // verify-instance's probe (a GET through the service proxy, not a mutation).
        attributesOf("GET", odooHealthProxyPath("t", "odoo:http")),
      ].map((a) => `${a.verb} ${a.group}/${a.resource}`),
    );
    const granted = new Set(
      (runbooks.rules as PolicyRule[]).flatMap((r) => r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${v} ${g}/${res}`)))),
    );
    expect([...granted].sort()).toEqual([...needed].sort());
  });

  it("grants nothing on Secrets and no wildcard", () => {
    for (const role of roles) {
      for (const rule of role.rules as PolicyRule[]) {
        expect(rule.resources).not.toContain("secrets");
        expect(rule.resources).not.toContain("*");
        expect(rule.verbs).not.toContain("*");
      }
    }
  });

  it("binds both roles to the portal's service account", () => {
    for (const role of roles) {
      const binding = documents.find((d) => d.kind === "ClusterRoleBinding" && d.roleRef.name === role.metadata.name);
      expect(binding?.subjects).toContainEqual({ kind: "ServiceAccount", name: "fleetdeck", namespace: "fleetdeck" });
    }
  });
});

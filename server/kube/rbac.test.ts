import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { RESOURCE_PATHS } from "./kinds";

interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const documents = parseAllDocuments(readFileSync(new URL("./rbac.yaml", import.meta.url), "utf8")).map((d) => d.toJS());
const clusterRole = documents.find((d) => d.kind === "ClusterRole");
const rules: PolicyRule[] = clusterRole.rules;

function allows(group: string, resource: string, verb: string) {
  return rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
}

// The shipped ClusterRole must keep up with what the cache watches, and stay read-only.
describe("least-privilege RBAC manifest", () => {
  it.each(Object.entries(RESOURCE_PATHS))("grants list and watch on %s", (resource, path) => {
    const group = path.startsWith("/api/v1") ? "" : path.split("/")[2];
    for (const verb of ["get", "list", "watch"]) expect(allows(group, resource, verb), `${verb} ${resource}`).toBe(true);
  });

  it("grants get on nodes/proxy for the kubelet's volume stats", () => {
    expect(allows("", "nodes/proxy", "get")).toBe(true);
  });

  it("grants nothing on Secrets and no write verb", () => {
    for (const rule of rules) {
      expect(rule.resources).not.toContain("secrets");
      expect(rule.resources).not.toContain("*");
      expect(rule.verbs.filter((v) => !["get", "list", "watch"].includes(v))).toEqual([]);
    }
  });

  it("binds the role to the portal's service account", () => {
    const binding = documents.find((d) => d.kind === "ClusterRoleBinding");
    expect(binding.roleRef.name).toBe(clusterRole.metadata.name);
    expect(binding.subjects).toContainEqual({ kind: "ServiceAccount", name: "fleetdeck", namespace: "fleetdeck" });
  });
});

/**
 * The chart's objects on the real control plane (scripts/lib/control-plane.ts): `helm template`
 * output applied with server-side dry-run, then for real, every object accepted and stored; the
 * release's ServiceAccount allowed exactly what server/kube/rbac.yaml allows (the real RBAC
 * authorizer asked through `kubectl auth can-i --as`); deploy/kustomize applied the same way. The
 * portal's pods do not run under kwok, and need not. `npm test` runs it; alone:
 *   FLEETDECK_REAL_CLUSTER=1 npx vitest run deploy/helm/chart.real-cluster.integration.test.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";

import { startControlPlane, type ControlPlane } from "@/scripts/lib/control-plane";
import { buildHelm, chartDir, kustomizeDir, renderChart } from "@/scripts/lib/helm";

const NAMESPACE = "ops";
const RELEASE_SA = `system:serviceaccount:${NAMESPACE}:portal-fleetdeck`;
/** The ServiceAccount server/kube/rbac.yaml binds (startControlPlane applies it). */
const RBAC_YAML_SA = "system:serviceaccount:fleetdeck:fleetdeck";

let controlPlane: ControlPlane;
let stateDir: string;
let rendered: string;
let objects: { kind: string; name: string; namespace?: string }[];

function kubectl(args: string[], input?: string) {
  const result = controlPlane.kubectl(args, { input });
  if (result.status !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${result.status}):\n${result.stderr}`);
  return result.stdout;
}

/** `resource` may name a subresource ("pods/log"); kubectl itself would read that as a pod named log. */
function canI(user: string, verb: string, resource: string, namespace = "default"): boolean {
  const [kind, subresource] = resource.split("/");
  const args = ["auth", "can-i", verb, kind, ...(subresource ? [`--subresource=${subresource}`] : []), "--as", user, "-n", namespace];
  const result = controlPlane.kubectl(args);
  // can-i exits 1 with "no" for a refusal; anything else on stderr is an error of the check itself.
  if (result.stdout.trim() !== "yes" && result.stdout.trim() !== "no") throw new Error(`kubectl auth can-i failed: ${result.stderr}`);
  return result.stdout.trim() === "yes";
}

/**
 * `kubectl auth can-i --list` as one permission a line: resource, non-resource URL, resource names,
 * verb. The table itself merges and orders rules by the bindings that grant them, so two users with
 * the same rights through differently named bindings print different tables.
 */
function permissions(user: string, namespace: string): string[] {
  const table = kubectl(["auth", "can-i", "--list", "--as", user, "-n", namespace]).trimEnd().split("\n");
  const granted = new Set<string>();
  for (const line of table.slice(1)) {
    const match = /^(\S+)?\s+\[(.*?)\]\s+\[(.*?)\]\s+\[(.*?)\]\s*$/.exec(line);
    if (!match) throw new Error(`unexpected line in kubectl auth can-i --list: ${line}`);
    const [, resource = "", urls, names, verbs] = match;
    for (const verb of verbs.split(" ")) granted.add([resource, urls, names, verb].join(" | "));
  }
  return [...granted].sort();
}

beforeAll(async () => {
  stateDir = mkdtempSync(path.join(tmpdir(), "fleetdeck-chart-"));
  const [started] = await Promise.all([startControlPlane({ stateDir, nodes: 1, log: () => {} }), buildHelm(() => {})]);
  controlPlane = started;
  // The ingress value set covers the defaults plus Ingress and scrape annotations; the ServiceMonitor
  // is left out because this control plane has no Prometheus Operator CRDs.
  rendered = renderChart({
    release: "portal",
    namespace: NAMESPACE,
    valuesFiles: [path.join(chartDir, "ci/ingress-values.yaml")],
    set: ["metrics.serviceMonitor.enabled=false"],
    home: path.join(stateDir, "helm"),
  });
  objects = YAML.parseAllDocuments(rendered)
    .map((doc) => doc.toJSON())
    .filter(Boolean)
    .map((object) => ({ kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace }));
  kubectl(["create", "namespace", NAMESPACE]);
}, 3_600_000);

afterAll(async () => {
  await controlPlane?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe("the chart on a real API server", () => {
  it("is accepted whole by a server-side dry-run, which stores nothing", () => {
    expect(objects.map((object) => object.kind).sort()).toEqual(
      [
        "ClusterRole",
        "ClusterRole",
        "ClusterRoleBinding",
        "ClusterRoleBinding",
        "Deployment",
        "Ingress",
        "NetworkPolicy",
        "PodDisruptionBudget",
        "Secret",
        "Service",
        "ServiceAccount",
      ].sort(),
    );
    const out = kubectl(["apply", "--server-side", "--field-manager=fleetdeck-test", "--dry-run=server", "-f", "-"], rendered);
    expect(out.trim().split("\n")).toHaveLength(objects.length);
    for (const line of out.trim().split("\n")) expect(line).toMatch(/serverside-applied \(server dry run\)$/);
    const missing = controlPlane.kubectl(["get", "deployment/portal-fleetdeck", "-n", NAMESPACE]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain("NotFound");
  });

  it("is applied for real: every object is stored as rendered", () => {
    kubectl(["apply", "--server-side", "--field-manager=fleetdeck-test", "-f", "-"], rendered);
    for (const object of objects) {
      const args = ["get", `${object.kind}/${object.name}`, "-o", "json", ...(object.namespace ? ["-n", object.namespace] : [])];
      const stored = JSON.parse(kubectl(args));
      expect(stored.metadata.uid, `${object.kind}/${object.name}`).toBeTruthy();
      expect(stored.metadata.labels["app.kubernetes.io/instance"]).toBe("portal");
    }
    const deployment = JSON.parse(kubectl(["get", "deployment/portal-fleetdeck", "-n", NAMESPACE, "-o", "json"]));
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });

  it("gives the release's ServiceAccount exactly the permissions of server/kube/rbac.yaml's", () => {
    for (const namespace of ["default", NAMESPACE]) {
      const granted = permissions(RELEASE_SA, namespace);
      expect(granted).toEqual(permissions(RBAC_YAML_SA, namespace));
      expect(granted).toContain("pods |  |  | watch");
    }
    // Not equal by being empty: what the portal reads and changes, and never Secrets.
    expect(canI(RELEASE_SA, "watch", "pods")).toBe(true);
    expect(canI(RELEASE_SA, "get", "pods/log")).toBe(true);
    expect(canI(RELEASE_SA, "patch", "deployments.apps/scale")).toBe(true);
    expect(canI(RELEASE_SA, "create", "pods/eviction")).toBe(true);
    expect(canI(RELEASE_SA, "get", "secrets")).toBe(false);
    expect(canI(RELEASE_SA, "create", "pods/exec")).toBe(false);
    expect(canI(RELEASE_SA, "update", "deployments.apps/scale")).toBe(false);
    expect(canI(RELEASE_SA, "delete", "deployments.apps")).toBe(false);
    expect(canI(RELEASE_SA, "create", "namespaces")).toBe(false);
  });

  it("deploy/kustomize is accepted by `kubectl apply -k`, dry-run first, then for real", () => {
    const dryRun = kubectl(["apply", "--server-side", "--force-conflicts", "--field-manager=fleetdeck-test", "--dry-run=server", "-k", kustomizeDir]);
    expect(dryRun).toContain("deployment.apps/fleetdeck serverside-applied (server dry run)");
    kubectl(["apply", "--server-side", "--force-conflicts", "--field-manager=fleetdeck-test", "-k", kustomizeDir]);
    const deployment = JSON.parse(kubectl(["get", "deployment/fleetdeck", "-n", "fleetdeck", "-o", "json"]));
    expect(deployment.spec.template.spec.containers[0].envFrom).toEqual([{ secretRef: { name: "fleetdeck-secrets" } }]);
    expect(canI(RBAC_YAML_SA, "get", "secrets")).toBe(false);
    expect(canI(RBAC_YAML_SA, "list", "ingresses.networking.k8s.io")).toBe(true);
  });
});

/**
 * The Helm chart (deploy/helm/fleetdeck) through the Helm built from controlplane/helm: `helm lint`
 * and `helm template` for the value sets in ci/, what the rendered objects say (probes, security,
 * secrets, RBAC equal to server/kube/rbac.yaml) and that deploy/kustomize/fleetdeck.yaml is what the
 * chart renders today. The first run ever builds Helm (minutes); `npm test` builds it beforehand.
 *   npx vitest run deploy/helm/chart.test.ts
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";

import { buildHelm, chartDir, kustomizeManifest, renderChart, renderKustomizeManifest, runHelm } from "@/scripts/lib/helm";
import { repoRoot } from "@/scripts/lib/stack";

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  [field: string]: unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rendered manifests are read field by field
type Loose = any;

const valuesFile = (name: string) => path.join(chartDir, "ci", `${name}-values.yaml`);
let home: string;

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), "fleetdeck-helm-test-"));
  await buildHelm(() => {});
}, 3_600_000);

afterAll(() => {
  if (home) rmSync(home, { recursive: true, force: true });
});

function render(valueSet: string, set: string[] = []): KubeObject[] {
  const text = renderChart({ release: "portal", namespace: "ops", valuesFiles: [valuesFile(valueSet)], set, home });
  return YAML.parseAllDocuments(text)
    .map((doc) => doc.toJSON() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null);
}

function find(objects: KubeObject[], kind: string, name?: string): Loose {
  const found = objects.find((object) => object.kind === kind && (name === undefined || object.metadata.name === name));
  if (!found) throw new Error(`no ${kind}${name ? ` ${name}` : ""} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`);
  return found;
}

function rbacYamlRoles(): Map<string, unknown[]> {
  const docs = YAML.parseAllDocuments(readFileSync(path.join(repoRoot, "server/kube/rbac.yaml"), "utf8")).map((doc) => doc.toJSON() as Loose);
  return new Map(docs.filter((doc) => doc.kind === "ClusterRole").map((doc) => [doc.metadata.name as string, doc.rules as unknown[]]));
}

/** The variable names server/env.ts declares (the keys of its raw schema). */
function declaredEnvNames(): Set<string> {
  const source = readFileSync(path.join(repoRoot, "server/env.ts"), "utf8");
  return new Set([...source.matchAll(/^\s{4}([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1]));
}

describe("helm lint", () => {
  it.each(["defaults", "ingress", "existing-secret"])("passes --strict with ci/%s-values.yaml", (valueSet) => {
    const result = runHelm(["lint", "--strict", chartDir, "--values", valueSet === "defaults" ? valuesFile("defaults") : valuesFile(valueSet)], { home });
    expect(result.stderr + result.stdout).toContain("0 chart(s) failed");
    expect(result.status).toBe(0);
  });

  it("refuses to render without a database: replicas cannot share an embedded one", () => {
    const result = runHelm(["template", "portal", chartDir], { home });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("secret.databaseUrl is required");
  });
});

describe("helm template with the defaults", () => {
  let objects: KubeObject[];
  beforeAll(() => {
    objects = render("defaults");
  });

  it("renders the objects a production install needs, all in the release namespace", () => {
    expect(objects.map((object) => `${object.kind}/${object.metadata.name}`).sort()).toEqual(
      [
        "ClusterRole/portal-fleetdeck-reader",
        "ClusterRole/portal-fleetdeck-runbooks",
        "ClusterRoleBinding/portal-fleetdeck-reader",
        "ClusterRoleBinding/portal-fleetdeck-runbooks",
        "Deployment/portal-fleetdeck",
        "NetworkPolicy/portal-fleetdeck",
        "PodDisruptionBudget/portal-fleetdeck",
        "Secret/portal-fleetdeck",
        "Service/portal-fleetdeck",
        "ServiceAccount/portal-fleetdeck",
      ].sort(),
    );
    for (const object of objects.filter((o) => !o.kind.startsWith("ClusterRole"))) expect(object.metadata.namespace).toBe("ops");
  });

  it("runs two replicas non-root on a read-only root filesystem, with writable emptyDirs for Next's cache, the data dir and /tmp", () => {
    const deployment = find(objects, "Deployment");
    expect(deployment.spec.replicas).toBe(2);
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1001 });
    expect(pod.serviceAccountName).toBe("portal-fleetdeck");
    const [container] = pod.containers;
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    const mounts = Object.fromEntries(container.volumeMounts.map((mount: Loose) => [mount.mountPath, mount.name]));
    expect(mounts).toEqual({ "/app/.next/cache": "next-cache", "/data": "data", "/tmp": "tmp" });
    for (const name of Object.values(mounts)) expect(pod.volumes.find((volume: Loose) => volume.name === name).emptyDir).toBeDefined();
    const env = Object.fromEntries(container.env.map((entry: Loose) => [entry.name, entry.value]));
    expect(env).toMatchObject({ FLEETDECK_DATA_DIR: "/data", HOSTNAME: "0.0.0.0", NODE_OPTIONS: "--max-old-space-size=384" });
    expect(container.resources).toEqual({ requests: { cpu: "500m", memory: "640Mi" }, limits: { memory: "1Gi" } });
  });

  it("probes the portal's own endpoints: liveness and startup /api/health, readiness /api/health/ready", () => {
    const [container] = find(objects, "Deployment").spec.template.spec.containers;
    expect(container.startupProbe.httpGet).toEqual({ path: "/api/health", port: "http" });
    expect(container.livenessProbe.httpGet).toEqual({ path: "/api/health", port: "http" });
    expect(container.readinessProbe.httpGet).toEqual({ path: "/api/health/ready", port: "http" });
    for (const route of ["app/api/health/route.ts", "app/api/health/ready/route.ts", "app/metrics/route.ts"]) {
      expect(readFileSync(path.join(repoRoot, route), "utf8")).toContain("export");
    }
  });

  it("reads its secrets from the release's Secret, with a generated NEXTAUTH_SECRET long enough for server/env.ts", () => {
    const [container] = find(objects, "Deployment").spec.template.spec.containers;
    expect(container.envFrom).toEqual([{ secretRef: { name: "portal-fleetdeck" } }]);
    const secret = find(objects, "Secret");
    const data = Object.fromEntries(
      Object.entries(secret.data as Record<string, string>).map(([key, value]) => [key, Buffer.from(value, "base64").toString()]),
    );
    expect(Object.keys(data).sort()).toEqual(["DATABASE_URL", "NEXTAUTH_SECRET"]);
    expect(data.NEXTAUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(data.DATABASE_URL).toMatch(/^postgres:\/\//);
  });

  it("keeps one of two replicas through a voluntary disruption and spreads them over nodes", () => {
    expect(find(objects, "PodDisruptionBudget").spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { "app.kubernetes.io/name": "fleetdeck", "app.kubernetes.io/instance": "portal" } },
    });
    expect(find(objects, "Deployment").spec.template.spec.topologySpreadConstraints[0].topologyKey).toBe("kubernetes.io/hostname");
  });

  it("lets in only the portal's port and out only DNS, the API server, PostgreSQL and HTTPS", () => {
    const policy = find(objects, "NetworkPolicy").spec;
    expect(policy.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(policy.ingress).toEqual([{ ports: [{ port: "http", protocol: "TCP" }] }]);
    expect(policy.egress.flatMap((rule: Loose) => rule.ports.map((port: Loose) => `${port.protocol}/${port.port}`))).toEqual([
      "UDP/53",
      "TCP/53",
      "TCP/443",
      "TCP/6443",
      "TCP/5432",
    ]);
  });

  it("binds exactly server/kube/rbac.yaml's ClusterRole rules to its ServiceAccount", () => {
    const roles = rbacYamlRoles();
    expect(find(objects, "ClusterRole", "portal-fleetdeck-reader").rules).toEqual(roles.get("fleetdeck-reader"));
    expect(find(objects, "ClusterRole", "portal-fleetdeck-runbooks").rules).toEqual(roles.get("fleetdeck-runbooks"));
    for (const binding of objects.filter((object) => object.kind === "ClusterRoleBinding") as Loose[]) {
      expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "portal-fleetdeck", namespace: "ops" }]);
    }
  });

  it("sets only variables server/env.ts declares", () => {
    const declared = declaredEnvNames();
    const values = YAML.parse(readFileSync(path.join(chartDir, "values.yaml"), "utf8"));
    const secretKeys = Object.keys(find(render("ingress"), "Secret").data);
    const launcherOnly = ["NODE_ENV", "HOSTNAME", "PORT", "NODE_OPTIONS", "NEXT_MANUAL_SIG_HANDLE"];
    for (const name of [...Object.keys(values.config), ...secretKeys]) expect(declared, name).toContain(name);
    const [container] = find(objects, "Deployment").spec.template.spec.containers;
    for (const { name } of container.env) if (!launcherOnly.includes(name)) expect(declared, name).toContain(name);
  });
});

describe("helm template with other values", () => {
  it("ingress on: an Ingress to the Service, with TLS, scrape annotations and a ServiceMonitor that sends METRICS_TOKEN", () => {
    const objects = render("ingress");
    const ingress = find(objects, "Ingress");
    expect(ingress.spec.ingressClassName).toBe("nginx");
    expect(ingress.spec.tls).toEqual([{ secretName: "fleetdeck-tls", hosts: ["fleetdeck.example.com"] }]);
    expect(ingress.spec.rules[0]).toMatchObject({ host: "fleetdeck.example.com" });
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: "portal-fleetdeck", port: { name: "http" } });
    const monitor = find(objects, "ServiceMonitor");
    expect(monitor.spec.endpoints[0]).toMatchObject({
      path: "/metrics",
      port: "http",
      authorization: { credentials: { name: "portal-fleetdeck", key: "METRICS_TOKEN" } },
    });
    expect(find(objects, "Secret").data.METRICS_TOKEN).toBeDefined();
    expect(find(objects, "Deployment").spec.template.metadata.annotations).toMatchObject({ "prometheus.io/scrape": "true", "prometheus.io/path": "/metrics" });
  });

  it("an existing secret: no Secret rendered, the pods read the named one, and a read-only portal binds no runbooks role", () => {
    const objects = render("existing-secret");
    expect(objects.filter((object) => object.kind === "Secret")).toEqual([]);
    const deployment = find(objects, "Deployment");
    expect(deployment.spec.template.spec.containers[0].envFrom).toEqual([{ secretRef: { name: "fleetdeck-secrets" } }]);
    expect(deployment.spec.template.metadata.annotations ?? {}).not.toHaveProperty("checksum/secret");
    expect(objects.map((object) => object.metadata.name)).not.toContain("portal-fleetdeck-runbooks");
    const env = Object.fromEntries(deployment.spec.template.spec.containers[0].env.map((entry: Loose) => [entry.name, entry.value]));
    expect(env).toMatchObject({ OIDC_ISSUER: "https://login.example.com/realms/staff", OIDC_CLIENT_ID: "fleetdeck" });
  });

  it("several clusters: mounts the kubeconfig Secret read-only and points FLEETDECK_KUBECONFIG_DIR at it; without it, neither", () => {
    const pod = find(render("defaults", ["clusters.kubeconfigSecret=fleet-clusters"]), "Deployment").spec.template.spec;
    const [container] = pod.containers;
    expect(container.env).toContainEqual({ name: "FLEETDECK_KUBECONFIG_DIR", value: "/etc/fleetdeck/clusters" });
    expect(container.volumeMounts).toContainEqual({ name: "clusters", mountPath: "/etc/fleetdeck/clusters", readOnly: true });
    expect(pod.volumes).toContainEqual({ name: "clusters", secret: { secretName: "fleet-clusters", defaultMode: 0o440 } });
    const plain = find(render("defaults"), "Deployment").spec.template.spec;
    expect(plain.containers[0].env.map((entry: Loose) => entry.name)).not.toContain("FLEETDECK_KUBECONFIG_DIR");
    expect(plain.volumes.map((volume: Loose) => volume.name)).not.toContain("clusters");
  });

  it("refuses a ServiceMonitor that could never scrape (no METRICS_TOKEN)", () => {
    expect(() => render("defaults", ["metrics.serviceMonitor.enabled=true"])).toThrow(/needs secret.metricsToken/);
  });
});

describe("deploy/kustomize", () => {
  it("holds what the chart renders today (run `npm run manifests` after changing the chart)", () => {
    expect(readFileSync(kustomizeManifest, "utf8")).toBe(renderKustomizeManifest(home));
  });
});

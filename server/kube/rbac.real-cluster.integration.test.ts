/**
 * server/kube/rbac.yaml against the real authorizer (scripts/lib/control-plane.ts): every request
 * the portal's features send, made by the portal's own code (the feeds' list and watch, the
 * kubelet stats, pod logs, the diagnostics archive, each runbook mutation as a server-side dry
 * run, the instance check), is allowed with exactly the repo's roles; with any single
 * (API group, resource, verb) taken away, at least one named feature is refused with a readable
 * 403, so no rule is there for nothing; and Secrets stay unreadable. `npm test` runs it; alone:
 *   FLEETDECK_REAL_CLUSTER=1 npx vitest run server/kube/rbac.real-cluster.integration.test.ts
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AppsV1Api, AuthorizationV1Api, BatchV1Api, CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startControlPlane, type ControlPlane } from "@/scripts/lib/control-plane";
import { listNamespaceObjects } from "@/server/runbooks/diagnostics/namespace-objects";
import { odooHealthProxyPath } from "@/server/runbooks/verify-instance";
import { kubeGet, kubeGetJson } from "./client";
import { createClusterWrites } from "./cluster-writes";
import { KubeError, toKubeError } from "./kube-error";
import { RESOURCE_NAMES, RESOURCE_PATHS } from "./kinds";
import type { KubeMutation } from "./mutations";
import { openPodLog } from "./pod-logs";

const NAMESPACE = "tenant-rbac-probe";

interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const roles = parseAllDocuments(readFileSync(new URL("./rbac.yaml", import.meta.url), "utf8"))
  .map((document) => document.toJS())
  .filter((document) => document.kind === "ClusterRole");
/** Every (group, resource, verb) the repo's roles grant, one rule each. */
const GRANTS = roles.flatMap((role) =>
  (role.rules as PolicyRule[]).flatMap((rule) =>
    rule.apiGroups.flatMap((group) => rule.resources.flatMap((resource) => rule.verbs.map((verb) => ({ group, resource, verb })))),
  ),
);
const grantName = (grant: { group: string; resource: string; verb: string }) => `${grant.verb} ${grant.group || "core"}/${grant.resource}`;

interface Fixture {
  podUid: string;
  node: string;
}

/** A portal feature and the request(s) it sends, through the portal's own code. */
interface Feature {
  name: string;
  run(kubeConfig: KubeConfig, fixture: Fixture): Promise<unknown>;
}

const FEATURES: Feature[] = [
  ...RESOURCE_NAMES.flatMap((resource): Feature[] => [
    { name: `the ${resource} feed's list`, run: (kubeConfig) => kubeGetJson(kubeConfig, RESOURCE_PATHS[resource], { query: { limit: 1 }, timeoutMs: 10_000 }) },
    {
      name: `the ${resource} feed's watch`,
      run: async (kubeConfig) => {
        // Open (2xx headers) is all the authorizer decides; the stream is closed at once.
        const abort = new AbortController();
        const stream = await kubeGet(kubeConfig, RESOURCE_PATHS[resource], {
          query: { watch: "true", allowWatchBookmarks: "true" },
          signal: abort.signal,
          timeoutMs: 10_000,
        });
        stream.destroy();
        abort.abort();
      },
    },
  ]),
  {
    name: "volume usage (the kubelet's stats/summary through nodes/proxy)",
    run: (kubeConfig, { node }) => kubeGetJson(kubeConfig, `/api/v1/nodes/${node}/proxy/stats/summary`, { timeoutMs: 10_000 }),
  },
  {
    name: "pod logs",
    run: async (kubeConfig) => (await openPodLog(kubeConfig, NAMESPACE, "p", { container: "odoo", tailLines: 1 }, { timeoutMs: 10_000 })).destroy(),
  },
  {
    name: "the diagnostics archive",
    run: async (kubeConfig) => {
      const archive = await listNamespaceObjects(createClusterWrites(kubeConfig), NAMESPACE, { timeoutMs: 10_000 });
      const forbidden = archive.skipped.filter((kind) => kind.why === "forbidden");
      // The archive goes on without a refused kind and says so; for this test, a refusal is one.
      if (forbidden.length > 0) throw new KubeError({ kind: "forbidden", status: 403, apiMessage: forbidden.map((kind) => kind.message).join("; ") });
    },
  },
  ...(
    [
      ["restart", () => ({ type: "restart-deployment", namespace: NAMESPACE, name: "d", restartedAt: new Date().toISOString() })],
      [
        "stop/start's remembered replicas",
        () => ({ type: "annotate-deployment", namespace: NAMESPACE, name: "d", annotations: { "fleetdeck.io/probe": "1" } }),
      ],
      ["stop/start's scale", () => ({ type: "scale-deployment", namespace: NAMESPACE, name: "d", replicas: 2 })],
      ["remove a stuck pod (eviction)", (fixture: Fixture) => ({ type: "evict-pod", namespace: NAMESPACE, name: "p", uid: fixture.podUid })],
      [
        "remove a stuck pod (an admin's force delete)",
        (fixture: Fixture) => ({ type: "force-delete-pod", namespace: NAMESPACE, name: "p", uid: fixture.podUid }),
      ],
      ["expand a volume", () => ({ type: "expand-volume", namespace: NAMESPACE, name: "v", storage: "2Gi" })],
      ["back up now", () => ({ type: "create-job-from-cronjob", namespace: NAMESPACE, cronJobName: "c", jobName: "rbac-probe-backup" })],
    ] as [string, (fixture: Fixture) => KubeMutation][]
  ).map(([name, mutation]): Feature => ({
    name: `the ${name} runbook's dry-run preview`,
    run: (kubeConfig, fixture) => createClusterWrites(kubeConfig).mutate(mutation(fixture), { dryRun: true, timeoutMs: 10_000 }),
  })),
  {
    name: "the instance check (Odoo's health endpoint through services/proxy)",
    run: (kubeConfig) => createClusterWrites(kubeConfig).getObject(odooHealthProxyPath(NAMESPACE, "s:http"), { timeoutMs: 10_000 }),
  },
];

/**
 * The features RBAC refuses for this identity: a 403 with the authorizer's sentence ("… cannot get
 * resource …"). Any other answer, even an error, means RBAC let it through; a 403 without that
 * sentence is someone else's (the instance check's pod address is not reachable from here).
 */
async function refusedFeatures(kubeConfig: KubeConfig, fixture: Fixture): Promise<Map<string, KubeError>> {
  const refused = new Map<string, KubeError>();
  await Promise.all(
    FEATURES.map(async (feature) => {
      try {
        await feature.run(kubeConfig, fixture);
      } catch (raw) {
        const error = toKubeError(raw);
        if (error.kind === "forbidden" && / cannot [a-z]+ resource "/.test(error.message)) refused.set(feature.name, error);
      }
    }),
  );
  return refused;
}

let controlPlane: ControlPlane;
let stateDir: string;
let core: CoreV1Api;
let rbac: RbacAuthorizationV1Api;
let fixture: Fixture;

function kubeConfigFrom(file: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(file);
  return kubeConfig;
}

/** A ServiceAccount's token as a kubeconfig on the same server. */
async function tokenKubeConfig(name: string): Promise<KubeConfig> {
  const token = await core.createNamespacedServiceAccountToken({ name, namespace: "fleetdeck", body: { spec: { expirationSeconds: 3600 } } });
  const portal = kubeConfigFrom(controlPlane.portalKubeconfig);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: portal.getClusters(),
    users: [{ name, token: token.status!.token }],
    contexts: [{ name, cluster: portal.getCurrentCluster()!.name, user: name }],
    currentContext: name,
  });
  return kubeConfig;
}

/** Waits until the authorizer has seen the binding: the identity may do `probe`. */
async function untilAuthorized(kubeConfig: KubeConfig, probe: { group: string; resource: string; verb: string }): Promise<void> {
  const [resource, subresource] = probe.resource.split("/");
  const deadline = Date.now() + 15_000;
  for (;;) {
    const review = await kubeConfig
      .makeApiClient(AuthorizationV1Api)
      .createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: { group: probe.group, resource, subresource, verb: probe.verb } } } });
    if (review.status?.allowed) return;
    if (Date.now() > deadline) throw new Error(`the authorizer never allowed ${grantName(probe)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  stateDir = mkdtempSync(path.join(tmpdir(), "fleetdeck-rbac-"));
  controlPlane = await startControlPlane({ stateDir, nodes: 1, log: () => {} });
  const admin = kubeConfigFrom(controlPlane.adminKubeconfig);
  core = admin.makeApiClient(CoreV1Api);
  rbac = admin.makeApiClient(RbacAuthorizationV1Api);
  // What the features act on: a tenant-like namespace with a Deployment, a pod, a claim, a
  // Service and the backup CronJob (a refused GET before a write must not hide behind a 404).
  const manifest = `
apiVersion: v1
kind: Namespace
metadata: { name: ${NAMESPACE} }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: d, namespace: ${NAMESPACE} }
spec:
  replicas: 1
  selector: { matchLabels: { app: d } }
  template:
    metadata: { labels: { app: d } }
    spec: { containers: [{ name: odoo, image: odoo:17.0 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: p, namespace: ${NAMESPACE}, labels: { app: p } }
spec: { containers: [{ name: odoo, image: odoo:17.0 }] }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: v, namespace: ${NAMESPACE} }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
---
apiVersion: v1
kind: Service
metadata: { name: s, namespace: ${NAMESPACE} }
spec: { selector: { app: p }, ports: [{ name: http, port: 8069 }] }
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: c, namespace: ${NAMESPACE} }
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec: { restartPolicy: Never, containers: [{ name: backup, image: busybox }] }
`;
  const applied = controlPlane.kubectl(["apply", "-f", "-"], { input: manifest });
  expect(applied.status, applied.stderr).toBe(0);
  const pod = await core.readNamespacedPod({ name: "p", namespace: NAMESPACE });
  const nodes = await core.listNode();
  fixture = { podUid: pod.metadata!.uid!, node: nodes.items[0].metadata!.name! };
}, 120_000);

afterAll(async () => {
  await controlPlane?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe("the portal's ClusterRoles on a real authorizer", () => {
  it("allow every feature through the portal's own ServiceAccount", async () => {
    const refused = await refusedFeatures(kubeConfigFrom(controlPlane.portalKubeconfig), fixture);
    expect([...refused].map(([feature, error]) => `${feature}: ${error.message}`)).toEqual([]);
    // The previews were dry runs: the pod is still there (a DELETE's body overrides its query,
    // dryRun included), the Deployment still has one replica, and no backup Job was made.
    expect((await core.readNamespacedPod({ name: "p", namespace: NAMESPACE })).metadata?.uid).toBe(fixture.podUid);
    const apps = kubeConfigFrom(controlPlane.adminKubeconfig).makeApiClient(AppsV1Api);
    expect((await apps.readNamespacedDeployment({ name: "d", namespace: NAMESPACE })).spec?.replicas).toBe(1);
    const jobs = await kubeConfigFrom(controlPlane.adminKubeconfig).makeApiClient(BatchV1Api).listNamespacedJob({ namespace: NAMESPACE });
    expect(jobs.items).toEqual([]);
  }, 60_000);

  it("need every rule: without any one (group, resource, verb), a named feature is refused with a readable 403", async () => {
    expect(GRANTS.length).toBeGreaterThan(10);
    // One ServiceAccount per rule left out, bound to a role with all the others.
    const variants = await Promise.all(
      GRANTS.map(async (left, index) => {
        const name = `without-${index}`;
        const rules = GRANTS.filter((grant) => grant !== left).map((grant) => ({ apiGroups: [grant.group], resources: [grant.resource], verbs: [grant.verb] }));
        await core.createNamespacedServiceAccount({ namespace: "fleetdeck", body: { metadata: { name } } });
        await rbac.createClusterRole({ body: { metadata: { name: `fleetdeck-${name}` }, rules } });
        await rbac.createClusterRoleBinding({
          body: {
            metadata: { name: `fleetdeck-${name}` },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: `fleetdeck-${name}` },
            subjects: [{ kind: "ServiceAccount", name, namespace: "fleetdeck" }],
          },
        });
        const kubeConfig = await tokenKubeConfig(name);
        await untilAuthorized(
          kubeConfig,
          GRANTS.find((grant) => grant !== left)!,
        );
        return { left, kubeConfig };
      }),
    );
    const unneeded: string[] = [];
    const table: string[] = [];
    for (const { left, kubeConfig } of variants) {
      const refused = await refusedFeatures(kubeConfig, fixture);
      if (refused.size === 0) unneeded.push(grantName(left));
      table.push(`${grantName(left).padEnd(44)} ${[...refused.keys()].join("; ")}`);
      for (const [feature, error] of refused) {
        // Readable: the short summary the portal shows, and the authorizer's own sentence naming the resource.
        expect(error.summary, feature).toBe("Kubernetes RBAC forbids this (403)");
        expect(error.message, feature).toContain(`cannot ${left.verb} resource "${left.resource}"`);
      }
    }
    console.log(`rule left out → features refused\n${table.join("\n")}`);
    expect(unneeded, "rules no feature needs").toEqual([]);
  }, 180_000);

  it("keep Secrets unreadable, through the portal's read path and directly", async () => {
    const portal = kubeConfigFrom(controlPlane.portalKubeconfig);
    for (const secretsPath of [`/api/v1/namespaces/${NAMESPACE}/secrets`, "/api/v1/secrets"]) {
      await expect(kubeGetJson(portal, secretsPath, { timeoutMs: 10_000 })).rejects.toMatchObject({ kind: "forbidden", status: 403 });
    }
    await expect(kubeGet(portal, "/api/v1/secrets", { query: { watch: "true" }, timeoutMs: 10_000 })).rejects.toMatchObject({ kind: "forbidden" });
    // The portal's own object reader refuses a Secrets path before any request is sent.
    await expect(createClusterWrites(portal).listObjects(`/api/v1/namespaces/${NAMESPACE}/secrets`)).rejects.toThrow(/[Ss]ecret/);
  }, 30_000);
});

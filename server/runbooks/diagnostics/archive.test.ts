import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";

import { extract } from "tar-stream";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";

import type { TenantDetail } from "@/lib/tenants/types";
import type { VolumeUsage } from "@/server/kube/cluster-store";
import { KubeError } from "@/server/kube/kube-error";
import type { PodLogOptions } from "@/server/kube/pod-logs";
import type { RawObject } from "@/server/kube/watch-stream";
import { diagnosticsFileName, planDiagnostics, streamDiagnostics, type DiagnosticsOptions, type DiagnosticsSource } from "./archive";
import { isClusterDown } from "./namespace-objects";

const NS = "t-acme";
const TENANT_ID = "3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f";
const NOW = new Date("2026-12-03T09:08:07Z");

function tenant(overrides: Partial<TenantDetail> = {}): TenantDetail {
  return {
    id: TENANT_ID,
    name: "acme",
    databaseName: "acme_prod",
    customerId: "c-1",
    customerEmail: "ops@acme.test",
    instanceType: "production",
    odooVersion: "17.0",
    billingStatus: "active",
    migrationState: "native",
    cluster: "default",
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-12-03T09:00:00.000Z",
    namespace: NS,
    health: "degraded",
    healthReason: "Odoo keeps crashing",
    problems: [],
    readyReplicas: 0,
    desiredReplicas: 1,
    restarts: 3,
    pods: [],
    pvcs: [
      {
        name: "odoo-data",
        namespace: NS,
        phase: "Bound",
        storageClassExists: true,
        expandable: true,
        requested: "10Gi",
        capacity: "10Gi",
        resizing: false,
        usedBytes: 4 * 1024 ** 3,
        capacityBytes: 10 * 1024 ** 3,
        usedPercent: 40,
        usageObservedAt: "2026-12-03T09:00:00Z",
      },
    ],
    ingressHosts: [],
    events: [],
    backups: [],
    ...overrides,
  };
}

const objects: Record<string, RawObject[]> = {
  deployments: [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "odoo", namespace: NS, annotations: { "deployment.kubernetes.io/revision": "4" } },
      spec: { replicas: 1, strategy: { type: "Recreate" } },
      status: {
        replicas: 1,
        updatedReplicas: 1,
        unavailableReplicas: 1,
        conditions: [{ type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability." }],
      },
    },
  ],
  pods: [
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "odoo-7d9f-abcde", namespace: NS, creationTimestamp: "2026-12-03T08:00:00Z" },
      spec: { nodeName: "node-1", initContainers: [{ name: "wait-db", image: "busybox" }], containers: [{ name: "odoo", image: "odoo:17" }] },
      status: {
        phase: "Running",
        initContainerStatuses: [{ name: "wait-db", restartCount: 0, ready: true, state: { terminated: { reason: "Completed", exitCode: 0 } } }],
        containerStatuses: [
          {
            name: "odoo",
            restartCount: 3,
            ready: false,
            state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 40s restarting failed container" } },
            lastState: { terminated: { reason: "OOMKilled", exitCode: 137, finishedAt: "2026-12-03T09:05:00Z" } },
          },
        ],
      },
    },
  ],
  persistentvolumeclaims: [
    {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "odoo-data", namespace: NS },
      spec: { storageClassName: "standard", resources: { requests: { storage: "10Gi" } } },
      status: { phase: "Bound", capacity: { storage: "10Gi" } },
    },
  ],
  configmaps: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "odoo-conf", namespace: NS }, data: { "odoo.conf": "[options]\nworkers = 4\n" } }],
  events: [
    {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "odoo.2" },
      type: "Warning",
      reason: "BackOff",
      message: "Back-off restarting\nfailed container",
      involvedObject: { kind: "Pod", name: "odoo-7d9f-abcde" },
      count: 7,
      lastTimestamp: "2026-12-03T09:06:00Z",
    },
    {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "odoo.1" },
      type: "Normal",
      reason: "Scheduled",
      message: "Successfully assigned",
      involvedObject: { kind: "Pod", name: "odoo-7d9f-abcde" },
      lastTimestamp: "2026-12-03T08:00:00Z",
    },
  ],
};

type LogAnswer = string | Buffer | KubeError;

/** A cluster for the archive: lists from `objects`, 404 for a kind it lacks, logs from `logs` by "pod/container[/previous]". */
class FakeSource implements DiagnosticsSource {
  readonly name = "default";
  readonly listed: string[] = [];
  readonly logRequests: { pod: string; options: PodLogOptions }[] = [];
  down = false;
  constructor(
    private readonly logs: Record<string, LogAnswer>,
    private readonly served: Record<string, RawObject[]> = objects,
  ) {}

  async listObjects(apiPath: string): Promise<RawObject[]> {
    this.listed.push(apiPath);
    if (this.down) throw new KubeError({ kind: "unreachable", cause: new Error("connect ECONNREFUSED") });
    const resource = apiPath.split("/").pop()!;
    if (resource === "poddisruptionbudgets")
      throw new KubeError({ kind: "not-found", status: 404, apiMessage: "the server could not find the requested resource" });
    return this.served[resource] ?? [];
  }

  async openPodLog(namespace: string, pod: string, options: PodLogOptions): Promise<Readable> {
    this.logRequests.push({ pod, options });
    const answer = this.logs[`${pod}/${options.container}${options.previous ? "/previous" : ""}`];
    if (answer === undefined)
      throw new KubeError({ kind: "invalid", status: 400, apiMessage: `previous terminated container "${options.container}" in pod "${pod}" not found` });
    if (answer instanceof KubeError) throw answer;
    return Readable.from([typeof answer === "string" ? Buffer.from(answer) : answer]);
  }

  volumeUsage(namespace: string, pvc: string): VolumeUsage | undefined {
    return pvc === "odoo-data" ? { namespace, pvc, usedBytes: 4 * 1024 ** 3, capacityBytes: 10 * 1024 ** 3, observedAt: "2026-12-03T09:00:00Z" } : undefined;
  }
}

async function untar(stream: Readable): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const reader = extract();
  const done = new Promise<void>((resolve, reject) => {
    reader.on("entry", (header, body, next) => {
      const chunks: Buffer[] = [];
      body.on("data", (chunk: unknown) => chunks.push(chunk as Buffer));
      body.on("end", () => {
        files.set(header.name, Buffer.concat(chunks));
        next();
      });
    });
    reader.on("finish", resolve);
    reader.on("error", reject);
  });
  stream.pipe(createGunzip()).pipe(reader);
  await done;
  return files;
}

const options: DiagnosticsOptions = { collectedBy: { name: "Olga Operator", email: "olga@fleet.test" }, now: NOW, maxBytes: 8 * 1024 * 1024 };

async function build(source: FakeSource, extra: Partial<DiagnosticsOptions> = {}, detail = tenant()) {
  const plan = await planDiagnostics(source, detail);
  const archive = streamDiagnostics(source, plan, { ...options, ...extra });
  const [files, report] = await Promise.all([untar(archive.stream), archive.finished]);
  const text = (name: string) => files.get(name)?.toString("utf8") ?? "";
  return { files, report, text, readme: text("README.md") };
}

const healthyLogs = {
  "odoo-7d9f-abcde/wait-db": "2026-12-03T08:00:01Z waiting for db\n2026-12-03T08:00:05Z db is up\n",
  "odoo-7d9f-abcde/odoo": "2026-12-03T09:05:30Z starting odoo\n",
  "odoo-7d9f-abcde/odoo/previous": "2026-12-03T09:04:00Z MemoryError\n",
};

describe("diagnostics archive", () => {
  it("holds the README, the record, the summaries, every readable object and every log", async () => {
    const source = new FakeSource(healthyLogs);
    const { files, text } = await build(source);
    expect([...files.keys()].sort()).toEqual(
      [
        "README.md",
        "describe.txt",
        "events.txt",
        "logs/odoo-7d9f-abcde/odoo.log",
        "logs/odoo-7d9f-abcde/odoo.previous.log",
        "logs/odoo-7d9f-abcde/wait-db.log",
        "objects/configmaps/odoo-conf.yaml",
        "objects/deployments/odoo.yaml",
        "objects/events/odoo.1.yaml",
        "objects/events/odoo.2.yaml",
        "objects/persistentvolumeclaims/odoo-data.yaml",
        "objects/pods/odoo-7d9f-abcde.yaml",
        "tenant.json",
        "volumes.txt",
      ].sort(),
    );
    expect(JSON.parse(text("tenant.json"))).toMatchObject({ id: TENANT_ID, databaseName: "acme_prod", cluster: "default", customerEmail: "ops@acme.test" });
    // ConfigMaps keep their values; objects are the API's, as YAML.
    expect(parseYaml(text("objects/configmaps/odoo-conf.yaml"))).toEqual(objects.configmaps[0]);
    expect(text("logs/odoo-7d9f-abcde/odoo.previous.log")).toBe("2026-12-03T09:04:00Z MemoryError\n");
    expect(text("volumes.txt")).toMatch(/odoo-data\s+4\.0 GiB\s+10\.0 GiB\s+40\.0%/);
  });

  it("never asks for Secrets, and asks for logs with timestamps, a tail and a byte limit", async () => {
    const source = new FakeSource(healthyLogs);
    await build(source);
    expect(source.listed.length).toBe(12);
    expect(source.listed.every((path) => path.includes(`/namespaces/${NS}/`))).toBe(true);
    expect(source.listed.some((path) => /secret/i.test(path))).toBe(false);
    expect(source.logRequests.map((r) => `${r.options.container}${r.options.previous ? "/previous" : ""}`)).toEqual(["wait-db", "odoo", "odoo/previous"]);
    for (const { options: log } of source.logRequests) {
      expect(log).toMatchObject({ timestamps: true, tailLines: 20_000, limitBytes: 4 * 1024 * 1024 });
      expect(log.follow).toBeFalsy();
    }
  });

  it("writes a README saying what, when, by whom, for which tenant, what is inside and what was left out", async () => {
    const { readme } = await build(new FakeSource(healthyLogs));
    expect(readme).toContain("# Diagnostics: acme (acme_prod)");
    expect(readme).toContain("Collected: 2026-12-03T09:08:07.000Z by Olga Operator <olga@fleet.test>");
    expect(readme).toContain(`id ${TENANT_ID}`);
    expect(readme).toContain("Cluster: default, namespace t-acme");
    expect(readme).toContain("| tenant.json |");
    expect(readme).toContain("| objects/events/ |");
    expect(readme).toContain("| logs/odoo-7d9f-abcde/odoo.previous.log |");
    expect(readme).toContain("**Secrets: never.**");
    expect(readme).toMatch(/poddisruptionbudgets: this cluster does not serve the kind \(404\)/);
    expect(readme).toContain("None: everything listed above was read.");
  });

  it("prints events oldest first and a describe-like summary of the workload", async () => {
    const { text } = await build(new FakeSource(healthyLogs));
    const events = text("events.txt").trim().split("\n");
    expect(events[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+COUNT\s+SOURCE\s+MESSAGE$/);
    expect(events[1]).toMatch(/^2026-12-03T08:00:00Z\s+Normal\s+Scheduled\s+pod\/odoo-7d9f-abcde\s+1/);
    expect(events[2]).toMatch(/Warning\s+BackOff\s+pod\/odoo-7d9f-abcde\s+7\s+Back-off restarting failed container$/);
    const summary = text("describe.txt");
    expect(summary).toContain("Deployment odoo");
    expect(summary).toMatch(/Replicas:\s+1 desired \| 1 updated \| 1 total \| 0 ready \| 0 available \| 1 unavailable/);
    expect(summary).toMatch(/Available\s+False\s+MinimumReplicasUnavailable/);
    expect(summary).toContain("State:     waiting (CrashLoopBackOff: back-off 40s restarting failed container)");
    expect(summary).toContain("Restarts:  3");
    expect(summary).toContain("Last termination: OOMKilled, exit code 137, finished 2026-12-03T09:05:00Z");
    expect(summary).toContain("Init containers:");
    expect(summary).toMatch(/Used:\s+4\.0 GiB of 10\.0 GiB \(40%\)/);
  });

  it("cuts a huge log at the per-log cap (even when the API ignores limitBytes) and says so", async () => {
    const huge = Buffer.alloc(10 * 1024 * 1024, "x\n");
    const { files, readme } = await build(new FakeSource({ ...healthyLogs, "odoo-7d9f-abcde/odoo": huge }), { perLogBytes: 64 * 1024 });
    expect(files.get("logs/odoo-7d9f-abcde/odoo.log")!.length).toBe(64 * 1024);
    expect(readme).toContain("logs/odoo-7d9f-abcde/odoo.log: cut at the per-log cap of 64.0 KiB");
  });

  it("notes a log whose last lines were all that was asked for", async () => {
    const lines = Array.from({ length: 5 }, (_, i) => `2026-12-03T09:00:0${i}Z line ${i}\n`).join("");
    const { readme } = await build(new FakeSource({ ...healthyLogs, "odoo-7d9f-abcde/odoo": lines }), { tailLines: 5 });
    expect(readme).toContain("logs/odoo-7d9f-abcde/odoo.log: only its last 5 lines were read");
  });

  it("stays under the archive's size cap, leaving out the rest and naming it", async () => {
    const log = Buffer.alloc(300 * 1024, "y\n");
    const pods = ["a", "b", "c", "d"].map((suffix) => ({
      ...objects.pods[0],
      metadata: { name: `odoo-${suffix}`, namespace: NS },
      status: { phase: "Running", containerStatuses: [{ name: "odoo", restartCount: 0 }] },
      spec: { containers: [{ name: "odoo" }] },
    }));
    const source = new FakeSource(Object.fromEntries(pods.map((pod) => [`${pod.metadata.name}/odoo`, log])), { ...objects, pods });
    const maxBytes = 1024 * 1024;
    const { files, report, readme } = await build(source, { maxBytes });
    expect(report.bytes).toBeLessThanOrEqual(maxBytes);
    const total = [...files.values()].reduce((sum, data) => sum + 512 + Math.ceil(data.length / 512) * 512, 1024);
    expect(total).toBeLessThanOrEqual(maxBytes);
    expect(files.get("logs/odoo-a/odoo.log")!.length).toBe(300 * 1024);
    expect(files.get("logs/odoo-b/odoo.log")!.length).toBe(300 * 1024);
    expect(files.get("logs/odoo-c/odoo.log")!.length).toBeLessThan(300 * 1024);
    expect(files.has("logs/odoo-d/odoo.log")).toBe(false);
    expect(readme).toMatch(/logs\/odoo-c\/odoo\.log: cut at .*, what was left of the archive's size cap/);
    expect(readme).toContain("Left out because the archive reached its size cap of 1.0 MiB");
    expect(readme).toContain("  - logs/odoo-d/odoo.log");
  });

  it("skips a kind the cluster does not serve and still writes the rest", async () => {
    const { files, readme } = await build(new FakeSource(healthyLogs));
    expect([...files.keys()].some((name) => name.startsWith("objects/poddisruptionbudgets/"))).toBe(false);
    expect(readme).toContain("poddisruptionbudgets: this cluster does not serve the kind (404)");
  });

  it("notes a kind RBAC refuses as left out, and a kind that failed to list under errors", async () => {
    const source = new FakeSource(healthyLogs);
    const list = source.listObjects.bind(source);
    source.listObjects = async (apiPath: string) => {
      if (apiPath.endsWith("/configmaps"))
        throw new KubeError({ kind: "forbidden", status: 403, apiMessage: 'configmaps is forbidden: User "fleetdeck" cannot list resource "configmaps"' });
      if (apiPath.endsWith("/cronjobs")) throw new KubeError({ kind: "server", status: 500, apiMessage: "etcdserver: request timed out" });
      return list(apiPath);
    };
    const { files, readme } = await build(source);
    expect([...files.keys()].some((name) => name.startsWith("objects/configmaps/"))).toBe(false);
    expect(readme).toContain('configmaps: the portal may not read the kind (403): configmaps is forbidden: User "fleetdeck" cannot list resource "configmaps"');
    expect(readme.slice(readme.indexOf("## Errors"))).toContain("- listing cronjobs: etcdserver: request timed out");
  });

  it("notes a log that failed to read as an error, and a missing previous log as no error", async () => {
    const source = new FakeSource({
      "odoo-7d9f-abcde/wait-db": "ok\n",
      "odoo-7d9f-abcde/odoo": new KubeError({ kind: "server", status: 500, apiMessage: "kubelet is not answering" }),
    });
    const { files, readme } = await build(source);
    expect(files.has("logs/odoo-7d9f-abcde/odoo.log")).toBe(false);
    expect(files.has("logs/odoo-7d9f-abcde/odoo.previous.log")).toBe(false);
    const errors = readme.slice(readme.indexOf("## Errors"));
    expect(errors).toContain("- logs/odoo-7d9f-abcde/odoo.log: kubelet is not answering");
    expect(errors).not.toContain("previous");
    expect(readme).toContain('logs/odoo-7d9f-abcde/odoo.previous.log: previous terminated container "odoo" in pod "odoo-7d9f-abcde" not found');
  });

  it("fails before streaming when the cluster cannot be reached, or the tenant has no namespace", async () => {
    const source = new FakeSource(healthyLogs);
    source.down = true;
    const unreachable = await planDiagnostics(source, tenant()).catch((error: unknown) => error);
    expect(isClusterDown(unreachable)).toBe(true);
    await expect(planDiagnostics(new FakeSource(healthyLogs), tenant({ namespace: undefined }))).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("reads the next log only as the consumer takes the archive (backpressure, no archive in memory)", async () => {
    // Random bytes: gzip would shrink a repeated pattern to nothing, and nothing would ever push back.
    const log = randomBytes(300 * 1024);
    const pods = Array.from({ length: 10 }, (_, i) => ({
      ...objects.pods[0],
      metadata: { name: `odoo-${i}`, namespace: NS },
      status: { phase: "Running", containerStatuses: [{ name: "odoo", restartCount: 0 }] },
      spec: { containers: [{ name: "odoo" }] },
    }));
    const source = new FakeSource(Object.fromEntries(pods.map((pod) => [`${pod.metadata.name}/odoo`, log])), { ...objects, pods });
    const archive = streamDiagnostics(source, await planDiagnostics(source, tenant()), options);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(source.logRequests.length).toBeLessThanOrEqual(2);
    const files = await untar(archive.stream);
    expect(source.logRequests.length).toBe(10);
    expect(files.get("logs/odoo-9/odoo.log")!.length).toBe(300 * 1024);
  });

  it("stops reading when the download is cancelled", async () => {
    const source = new FakeSource(healthyLogs);
    const plan = await planDiagnostics(source, tenant());
    const archive = streamDiagnostics(source, plan, options);
    archive.stream.destroy();
    await expect(archive.finished).rejects.toBeDefined();
  });

  it("names the file after the database and the UTC time", () => {
    expect(diagnosticsFileName("acme_prod", NOW)).toBe("diagnostics-acme_prod-20261203-090807.tar.gz");
    expect(diagnosticsFileName('we"ird/name', NOW)).toBe("diagnostics-we_ird_name-20261203-090807.tar.gz");
  });
});

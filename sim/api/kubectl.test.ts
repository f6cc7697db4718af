import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet } from "../fleet/index";
import { kubeconfigYaml } from "../kubeconfig";
import { LogStore } from "../logs/log-store";
import { ObjectStore } from "../store/object-store";
import { ApiServer } from "./server";

const run = promisify(execFile);
const KUBECTL = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"].find((p) => existsSync(p));

if (!KUBECTL) {
  console.warn("kubectl tests skipped: no kubectl binary on this machine (looked in /usr/bin and /usr/local/bin)");
}

describe.skipIf(!KUBECTL)("kubectl against the simulator", () => {
  let api: ApiServer;
  let fleet: ReturnType<typeof startFleet>;
  let dir: string;
  let kubeconfig: string;

  const kubectl = async (...args: string[]) => {
    const { stdout } = await run(KUBECTL!, ["--kubeconfig", kubeconfig, "--cache-dir", join(dir, "cache"), ...args], { timeout: 20_000 });
    return stdout;
  };

  beforeAll(async () => {
    const store = new ObjectStore();
    const logs = new LogStore();
    fleet = startFleet({ store, logs, tenants: 12, scenario: "demo", seed: 7, speed: { lifecycle: 0.05, backoff: 0.05, slow: 0.01 } });
    api = new ApiServer({ store, logs, hooks: fleet.hooks, token: "kubectl-test" });
    await api.listen(0, "127.0.0.1");
    // kubectl (client-go) never sends a bearer token over plain http, so it uses the unauthenticated listener.
    const insecure = await api.listenInsecure(0, "127.0.0.1");
    dir = mkdtempSync(join(tmpdir(), "sim-kubectl-"));
    kubeconfig = join(dir, "config");
    writeFileSync(kubeconfig, kubeconfigYaml(insecure, "unused"));
  });

  afterAll(async () => {
    fleet?.stop();
    await api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("gets tables, describes and reads logs", async () => {
    const pods = await kubectl("get", "pods", "-A");
    expect(pods.split("\n")[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
    expect(pods).toContain("CrashLoopBackOff");
    const deploys = await kubectl("get", "deploy", "-n", "saasodoo");
    expect(deploys.split("\n")[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
    const pvcs = await kubectl("get", "pvc", "-A");
    expect(pvcs.split("\n")[0]).toMatch(/STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS/);
    const ns = (await kubectl("get", "ns", "-o", "name"))
      .split("\n")
      .find((n) => n.startsWith("namespace/tenant-"))!
      .slice("namespace/".length);
    const pod = (await kubectl("get", "pods", "-n", ns, "-l", "saasodoo.instance.name", "-o", "name")).split("\n")[0]!.slice("pod/".length);
    const described = await kubectl("describe", "pod", "-n", ns, pod);
    expect(described).toContain(`Name:`);
    expect(described).toContain("Events:");
    const tail = await kubectl("logs", "-n", ns, pod, "--tail", "3");
    expect(tail.trim().split("\n")).toHaveLength(3);
    await expect(kubectl("logs", "-n", ns, pod, "--previous")).rejects.toThrow(/previous terminated container "odoo"/);
  });

  it("scales, restarts, patches, waits and deletes", async () => {
    const ns = "saasodoo";
    expect(await kubectl("scale", "-n", ns, "deploy/instance-worker", "--replicas", "3")).toContain("scaled");
    expect(await kubectl("rollout", "restart", "-n", ns, "deploy/instance-service")).toContain("restarted");
    expect(await kubectl("rollout", "status", "-n", ns, "deploy/instance-service", "--timeout", "15s")).toContain("successfully rolled out");
    expect(await kubectl("patch", "-n", ns, "deploy", "instance-worker", "-p", '{"metadata":{"annotations":{"owner":"ops"}}}')).toContain("patched");
    expect(await kubectl("patch", "-n", ns, "deploy", "instance-worker", "--type", "merge", "-p", '{"metadata":{"labels":{"tier":"worker"}}}')).toContain(
      "patched",
    );
    expect(
      await kubectl("get", "deploy", "-n", ns, "instance-worker", "-o", "jsonpath={.metadata.annotations.owner} {.metadata.labels.tier} {.spec.replicas}"),
    ).toBe("ops worker 3");
    expect(await kubectl("wait", "--for=condition=Available", "-n", ns, "deploy/instance-worker", "--timeout", "15s")).toContain("condition met");
    const pod = (await kubectl("get", "pods", "-n", ns, "-o", "name")).split("\n").find((p) => p.includes("instance-worker"))!;
    expect(await kubectl("delete", "-n", ns, pod, "--timeout", "15s")).toContain("deleted");
  });

  it("follows logs with logs -f", async () => {
    const pod = (await kubectl("get", "pods", "-n", "saasodoo", "-o", "name"))
      .split("\n")
      .find((p) => p.includes("instance-service"))!
      .slice("pod/".length);
    const child = execFile(KUBECTL!, ["--kubeconfig", kubeconfig, "--cache-dir", join(dir, "cache"), "logs", "-f", "--tail", "1", "-n", "saasodoo", pod]);
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    await new Promise((r) => setTimeout(r, 1000));
    const container = api.store.get("core/pods", "saasodoo", pod)!.spec.containers[0].name as string;
    api.logs.append("saasodoo", pod, container, "followed line from the test");
    const start = Date.now();
    while (!out.includes("followed line from the test") && Date.now() - start < 10_000) await new Promise((r) => setTimeout(r, 100));
    child.kill();
    expect(out).toContain("followed line from the test");
  });

  it("watches with get -w", async () => {
    const child = execFile(KUBECTL!, ["--kubeconfig", kubeconfig, "--cache-dir", join(dir, "cache"), "get", "pods", "-n", "saasodoo", "-w"]);
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    await new Promise((r) => setTimeout(r, 1500));
    await kubectl("delete", "-n", "saasodoo", "pod", "postgres-0", "--wait=false");
    const start = Date.now();
    while (!/postgres-0\s+\S+\s+Terminating/.test(out) && Date.now() - start < 10_000) await new Promise((r) => setTimeout(r, 100));
    child.kill();
    expect(out).toMatch(/postgres-0\s+\S+\s+Terminating/);
  });

  it("creates and deletes with protobuf bodies (kubectl create, delete) and drains a node (protobuf evictions)", async () => {
    const ns = "kubectl-proto";
    await kubectl("create", "namespace", ns);
    await kubectl("create", "configmap", "settings", "-n", ns, "--from-literal=mode=fast");
    expect(JSON.parse(await kubectl("get", "configmap", "settings", "-n", ns, "-o", "json")).data).toEqual({ mode: "fast" });
    await kubectl("create", "deployment", "web", "-n", ns, "--image=nginx:1.27", "--replicas=2");
    const deployment = JSON.parse(await kubectl("get", "deployment", "web", "-n", ns, "-o", "json"));
    expect(deployment.spec.template.spec.containers).toMatchObject([{ name: "nginx", image: "nginx:1.27" }]);
    expect(deployment.spec.replicas).toBe(2);
    await kubectl("create", "job", "once", "-n", ns, "--image=busybox");
    expect(JSON.parse(await kubectl("get", "job", "once", "-n", ns, "-o", "json")).spec.selector.matchLabels).toHaveProperty([
      "batch.kubernetes.io/controller-uid",
    ]);
    await kubectl("delete", "configmap", "settings", "-n", ns);
    expect(await kubectl("get", "configmap", "-n", ns, "-o", "name", "--ignore-not-found", "settings")).toBe("");

    const node = (await kubectl("get", "nodes", "-o", "name")).split("\n")[0]!.slice("node/".length);
    const drained = await kubectl(
      "drain",
      node,
      "--ignore-daemonsets",
      "--delete-emptydir-data",
      "--force",
      "--disable-eviction=false",
      "--timeout=15s",
      "--skip-wait-for-delete-timeout=1",
    );
    expect(drained).toContain(`node/${node} drained`);
    expect(JSON.parse(await kubectl("get", "node", node, "-o", "json")).spec.unschedulable).toBe(true);
    await kubectl("uncordon", node);
  });
});

import http from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSlimmers } from "@/server/kube/kinds";
import type { PodObject } from "@/server/kube/kinds/pod";
import { openPodLog } from "@/server/kube/pod-logs";
import type { LogLine } from "@/lib/logs/types";
import { streamContainerLog, type UpstreamCluster, type UpstreamEvent, type UpstreamTuning } from "./upstream-stream";

/**
 * A tiny kubelet log endpoint with real-cluster traits the simulator does not have: nanosecond
 * timestamps shared by several lines, and a connection that breaks in the middle of a line. The
 * pod itself is what the watch cache would hold (`cachedPod`), which may lag the log.
 */
class FakeKubelet {
  lines: string[] = [];
  podExists = true;
  cachedPod: PodObject | undefined = slimPod("1", "Running");
  requests: URLSearchParams[] = [];
  private readonly open = new Set<http.ServerResponse>();
  private server!: http.Server;
  url = "";

  async start(): Promise<void> {
    this.server = http.createServer((request, response) => {
      const url = new URL(request.url ?? "/", "http://x");
      if (!this.podExists) return this.status(response, 404, "NotFound", `pods "p" not found`);
      this.requests.push(url.searchParams);
      if (url.searchParams.get("previous") === "true")
        return this.status(response, 400, "BadRequest", `previous terminated container "c" in pod "p" not found`);
      const since = url.searchParams.get("sinceTime");
      let selected = since ? this.lines.filter((line) => line.slice(0, 19) >= since.slice(0, 19)) : this.lines;
      const tail = url.searchParams.get("tailLines");
      if (tail) selected = selected.slice(-Number(tail));
      response.writeHead(200, { "content-type": "text/plain" });
      response.write(selected.map((line) => `${line}\n`).join(""));
      if (url.searchParams.get("follow") !== "true") return void response.end();
      this.open.add(response);
      response.on("close", () => this.open.delete(response));
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  append(line: string): void {
    this.lines.push(line);
    for (const response of this.open) response.write(`${line}\n`);
  }

  /** Writes half a line to every follower, then cuts them (a proxy dropping the connection). */
  breakMidLine(partial: string): void {
    for (const response of this.open) {
      response.write(partial);
      response.destroy();
    }
  }

  /** Closes every follow normally, as the kubelet does when the container exits. */
  endFollowers(): void {
    for (const response of this.open) response.end();
  }

  get followers(): number {
    return this.open.size;
  }

  async stop(): Promise<void> {
    for (const response of this.open) response.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private json(response: http.ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  }

  private status(response: http.ServerResponse, code: number, reason: string, message: string): void {
    this.json(response, code, { kind: "Status", status: "Failure", code, reason, message });
  }
}

const TUNING: UpstreamTuning = {
  backoff: { initialMs: 20, maxMs: 100 },
  idleReconnectMs: 60_000,
  connectTimeoutMs: 2_000,
  limitBytes: 1024 * 1024,
  maxTailLines: 50_000,
  readAttempts: 2,
  endSettleMs: 500,
};

const slimmers = createSlimmers({ labelKeys: [] });
function slimPod(resourceVersion: string, phase: string): PodObject {
  return slimmers.pods({
    metadata: { name: "p", namespace: "ns", resourceVersion },
    spec: { containers: [{ name: "c", image: "odoo:17.0" }] },
    status: { phase },
  });
}

let kubelet: FakeKubelet;
let cluster: UpstreamCluster;
const ref = { namespace: "ns", pod: "p", container: "c" };

beforeEach(async () => {
  kubelet = new FakeKubelet();
  await kubelet.start();
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: "fake", server: kubelet.url, skipTLSVerify: true }],
    users: [{ name: "u", token: "t" }],
    contexts: [{ name: "ctx", cluster: "fake", user: "u" }],
    currentContext: "ctx",
  });
  cluster = {
    openPodLog: (namespace, pod, options, request) => openPodLog(kubeConfig, namespace, pod, options, request),
    lookupPod: (namespace, name) => (namespace === "ns" && name === "p" ? kubelet.cachedPod : undefined),
  };
});

afterEach(async () => {
  await kubelet.stop();
});

async function collect(events: AsyncGenerator<UpstreamEvent>, until: (lines: LogLine[], states: string[]) => boolean) {
  const lines: LogLine[] = [];
  const states: string[] = [];
  const deadline = Date.now() + 5_000;
  // next() rather than for-await: breaking out of a for-await would close the generator.
  for (let next = await events.next(); !next.done; next = await events.next()) {
    const event = next.value;
    if (event.type === "lines") lines.push(...event.lines);
    else states.push(event.message ? `${event.state}: ${event.message}` : event.state);
    if (until(lines, states) || Date.now() > deadline) break;
  }
  return { lines, states };
}

describe("streamContainerLog", () => {
  it("resumes a broken follow from the last second and removes the overlap, equal nanosecond timestamps included", async () => {
    const ts = "2026-11-23T10:00:01.123456789Z";
    kubelet.lines = [`2026-11-23T10:00:00.5Z before`, `${ts} same`, `${ts} same`, `${ts} other`];
    const abort = new AbortController();
    const events = streamContainerLog(cluster, ref, { follow: true, tailLines: 10 }, abort.signal, TUNING);
    const first = await collect(events, (lines) => lines.length === 4);
    expect(first.lines.map((l) => l.id)).toEqual(["2026-11-23T10:00:00.5Z#p/c#0", `${ts}#p/c#0`, `${ts}#p/c#1`, `${ts}#p/c#2`]);
    // The connection breaks in the middle of the next line; that line is written again in full.
    kubelet.lines.push(`${ts} same`);
    kubelet.breakMidLine(`${ts} sa`);
    const second = await collect(events, (lines) => lines.length === 1);
    kubelet.append("2026-11-23T10:00:02Z later");
    const third = await collect(events, (lines) => lines.length === 1);
    abort.abort();
    expect(second.lines.map((l) => [l.text, l.id])).toEqual([["same", `${ts}#p/c#3`]]);
    expect(third.lines.map((l) => [l.text, l.id])).toEqual([["later", "2026-11-23T10:00:02Z#p/c#0"]]);
    expect(second.states.some((s) => s.startsWith("reconnecting"))).toBe(true);
    expect(kubelet.requests.at(-1)?.get("sinceTime")).toBe("2026-11-23T10:00:01Z");
  });

  it("ends with a plain sentence when there is no previous container, and when the pod is gone", async () => {
    const previous = await collect(streamContainerLog(cluster, ref, { follow: false, previous: true }, new AbortController().signal, TUNING), () => false);
    expect(previous.states.at(-1)).toBe(`ended: Container "c" of pod p has no previous (terminated) instance.`);
    kubelet.podExists = false;
    const gone = await collect(streamContainerLog(cluster, ref, { follow: true }, new AbortController().signal, TUNING), () => false);
    expect(gone.states.at(-1)).toBe("ended: Pod p does not exist (any more) in ns.");
  });

  it("caps 'all' at maxTailLines and asks for timestamps", async () => {
    kubelet.lines = ["2026-11-23T10:00:00Z a", "2026-11-23T10:00:01Z b"];
    const read = await collect(streamContainerLog(cluster, ref, { follow: false, tailLines: 0 }, new AbortController().signal, TUNING), () => false);
    expect(read.lines.map((l) => l.text)).toEqual(["a", "b"]);
    expect(kubelet.requests[0].get("tailLines")).toBe("50000");
    expect(kubelet.requests[0].get("timestamps")).toBe("true");
  });

  it("waits for the cache to show why a follow ended cleanly instead of reconnecting at once", async () => {
    kubelet.lines = ["2026-11-23T10:00:00Z started"];
    const abort = new AbortController();
    const events = streamContainerLog(cluster, ref, { follow: true }, abort.signal, TUNING);
    await collect(events, (lines) => lines.length === 1);
    // The container exits: its log ends now, the watch brings the finished pod a moment later.
    kubelet.endFollowers();
    setTimeout(() => (kubelet.cachedPod = slimPod("2", "Succeeded")), 150);
    const ended = await collect(events, () => false);
    expect(ended.states).toEqual(["ended: Pod p has finished (Succeeded)."]);
    expect(kubelet.requests).toHaveLength(1);
  });

  it("ends an init container's follow once it completed, but reconnects a sidecar's, which the kubelet restarts", async () => {
    const exited = (resourceVersion: string, restartPolicy?: "Always") =>
      slimmers.pods({
        metadata: { name: "p", namespace: "ns", resourceVersion },
        spec: { initContainers: [{ name: "c", image: "fluent-bit:3.1", restartPolicy }], containers: [{ name: "odoo", image: "odoo:17.0" }] },
        status: { phase: "Running", initContainerStatuses: [{ name: "c", restartCount: 0, state: { terminated: { reason: "Completed", exitCode: 0 } } }] },
      });
    kubelet.lines = ["2026-11-23T10:00:00Z started"];
    const abort = new AbortController();
    const init = streamContainerLog(cluster, ref, { follow: true }, abort.signal, TUNING);
    await collect(init, (lines) => lines.length === 1);
    kubelet.endFollowers();
    setTimeout(() => (kubelet.cachedPod = exited("2")), 50);
    expect((await collect(init, () => false)).states).toEqual([`ended: Init container "c" completed.`]);

    kubelet.cachedPod = slimPod("3", "Running");
    const sidecar = streamContainerLog(cluster, ref, { follow: true }, abort.signal, TUNING);
    await collect(sidecar, (lines) => lines.length === 1);
    kubelet.endFollowers();
    setTimeout(() => (kubelet.cachedPod = exited("4", "Always")), 50);
    expect((await collect(sidecar, (_, states) => states.includes("live"))).states).toEqual(["reconnecting: Log stream closed; reconnecting…", "live"]);
    abort.abort();
  });

  it("reconnects a follow that ended cleanly once the cache shows no change for the settle time, and ends when the pod is gone from it", async () => {
    kubelet.lines = ["2026-11-23T10:00:00Z started"];
    const abort = new AbortController();
    const events = streamContainerLog(cluster, ref, { follow: true }, abort.signal, TUNING);
    await collect(events, (lines) => lines.length === 1);
    const closedAt = Date.now();
    kubelet.endFollowers();
    const reconnected = await collect(events, (_, states) => states.includes("live"));
    expect(reconnected.states).toEqual(["reconnecting: Log stream closed; reconnecting…", "live"]);
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(TUNING.endSettleMs - 50);
    expect(kubelet.requests).toHaveLength(2);

    kubelet.cachedPod = undefined;
    kubelet.endFollowers();
    const deleted = await collect(events, () => false);
    expect(deleted.states).toEqual(["ended: Pod p was deleted."]);
  });
});

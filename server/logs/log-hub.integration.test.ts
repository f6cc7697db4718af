/**
 * Following a container's log through the hub against the simulator (a child process speaking the
 * real API) while its control API cuts every log stream, refuses connections for seconds, and the
 * viewer itself drops and resumes with its last event id. Afterwards the simulator's own log of
 * the container is the reference: every line written since the view opened must have arrived
 * exactly once, in order.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "@/scripts/lib/stack";
import { kubeGet, kubeGetJson } from "@/server/kube/client";
import { ClusterCache } from "@/server/kube/cluster-cache";
import { LogHub } from "./log-hub";
import type { LogSelection, TrackedLogEvent } from "./log-view-session";
import type { LogLine } from "@/lib/logs/types";
import { containerLogSource, DEFAULT_UPSTREAM_TUNING, type ContainerRef, type UpstreamTuning } from "./upstream-stream";

let sim: Simulator;
let workDir: string;
let kubeConfig: KubeConfig;
// Streams learn why a follow ended from a pod watch, as in the portal.
let podCache: ClusterCache;
let target: ContainerRef;
let databaseName: string;

// Faster back-off than production so the refusal window costs seconds, not minutes, of test time.
const TUNING: UpstreamTuning = {
  ...DEFAULT_UPSTREAM_TUNING,
  backoff: { initialMs: 100, maxMs: 1_000 },
  idleReconnectMs: 60_000,
  connectTimeoutMs: 5_000,
};

function makeHub(): LogHub {
  return new LogHub({
    maxUpstreams: 10,
    readRetryMs: 300,
    source: containerLogSource(podCache, TUNING),
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Reads a view in the background, as a tRPC subscription would. */
function view(hub: LogHub, selection: LogSelection, options: Parameters<LogHub["open"]>[1]) {
  const abort = new AbortController();
  const events: TrackedLogEvent[] = [];
  const done = (async () => {
    for await (const event of hub.open(selection, options, abort.signal)) events.push(event);
  })();
  return {
    events,
    lines: () => events.flatMap((e) => (e.event.type === "lines" ? e.event.lines : [])),
    states: () => events.flatMap((e) => (e.event.type === "status" ? [e.event.state] : [])),
    lastId: () => events.at(-1)?.id,
    stop: async () => {
      abort.abort();
      await done;
    },
    done,
  };
}

/** The container's log as the simulator holds it now ("<ts> <text>" per line). */
async function simulatorLog(ref: ContainerRef): Promise<string[]> {
  const response = await kubeGet(kubeConfig, `/api/v1/namespaces/${ref.namespace}/pods/${ref.pod}/log`, {
    query: { container: ref.container, timestamps: true },
  });
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").split("\n").filter(Boolean);
}

const asRaw = (line: LogLine) => `${line.ts} ${line.text}`;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "fleetdeck-logs-"));
  sim = await startSimulator({ dataDir: workDir, tenants: 6, scenario: "healthy", seed: 4, quiet: true });
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(sim.kubeconfig);
  podCache = new ClusterCache({
    name: "default",
    kubeConfig,
    settings: { tenantLabelKey: "saasodoo.instance.id", watchSilenceTimeoutMs: 60_000 },
    resources: ["pods"],
    backoff: { initialMs: 100, maxMs: 1_000 },
  });
  podCache.start();
  if (!(await podCache.whenWarm(30_000))) throw new Error("the pod watch did not list");
  const registry = (await sim.control("GET", "/_sim/registry")) as { database_name: string }[];
  databaseName = registry[0].database_name;
  const namespace = `tenant-${databaseName}`;
  let pod: string | undefined;
  const started = Date.now();
  while (!pod && Date.now() - started < 30_000) {
    const pods = await kubeGetJson<{ items: { metadata: { name: string }; status?: { phase?: string } }[] }>(
      kubeConfig,
      `/api/v1/namespaces/${namespace}/pods`,
    );
    pod = pods.items.find((p) => p.status?.phase === "Running" && !p.metadata.name.includes("backup"))?.metadata.name;
    if (!pod) await sleep(250);
  }
  if (!pod) throw new Error(`no running pod in ${namespace}`);
  target = { namespace, pod, container: "odoo" };
}, 90_000);

afterAll(async () => {
  await podCache?.stop();
  await sim?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe("log hub against the simulator", () => {
  it("follows across dropped streams, a refusal window and a client resume: every line exactly once, in order", async () => {
    const hub = makeHub();
    const single: LogSelection = { single: true, containers: () => [{ ref: target, hasPrevious: false }] };
    const first = view(hub, single, { follow: true, tailLines: 20 });
    await until(() => first.lines().length >= 20 && first.states().includes("live"), "the tail and a live stream");

    // ~50 lines/s for 16 s, more than a second's worth between each disruption.
    await sim.control("POST", `/_sim/tenants/${databaseName}/log-burst`, { linesPerSecond: 50, seconds: 16 });
    await sleep(1_500);
    expect((await sim.control("POST", "/_sim/logs/drop")) as { dropped: number }).toMatchObject({ dropped: expect.any(Number) });
    await sleep(1_500);
    await sim.control("POST", "/_sim/logs/drop");
    await sleep(1_000);
    await sim.control("POST", "/_sim/faults", { refuseForSeconds: 3 });
    await sleep(4_500);
    await until(() => first.states().lastIndexOf("live") > first.states().lastIndexOf("reconnecting"), "live again after the refusal");

    // The browser loses its connection and comes back with the id of the last event it saw, to a
    // server that no longer holds the upstream (another replica, or after the linger): the part
    // it missed is read from the API after the cursor.
    await first.stop();
    hub.close();
    const lastId = first.lastId();
    await sleep(1_200);
    const resumedHub = makeHub();
    const second = view(resumedHub, single, { follow: true, tailLines: 20, lastEventId: lastId });
    await sleep(1_500);
    await sim.control("POST", "/_sim/logs/drop");
    // Let the burst finish (its timer runs late on a loaded machine), then wait until everything
    // the simulator has written by now has arrived: that snapshot is the reference.
    await sleep(5_000);
    let written: string[];
    const received = () => [...first.lines(), ...second.lines()].map(asRaw);
    const deadline = Date.now() + 30_000;
    for (;;) {
      written = await simulatorLog(target);
      const last = written.at(-1)!;
      const settled = Date.now();
      while (!received().includes(last) && Date.now() - settled < 5_000) await sleep(100);
      const quiet = (await simulatorLog(target)).length === written.length;
      if ((received().includes(last) && quiet) || Date.now() > deadline) break;
    }
    await second.stop();
    resumedHub.close();

    const lines = [...first.lines(), ...second.lines()];
    const ids = lines.map((line) => line.id);
    expect(new Set(ids).size, "no line delivered twice").toBe(ids.length);
    expect(first.states()).toContain("reconnecting");

    const start = written.indexOf(asRaw(lines[0]));
    expect(start, "the first line received is still in the simulator's log").toBeGreaterThanOrEqual(0);
    const expected = written.slice(start);
    expect(expected.length).toBeGreaterThan(700);
    // Lines written after the reference snapshot may follow; up to it, exactly the simulator's log.
    expect(lines.map(asRaw).slice(0, expected.length)).toEqual(expected);
  }, 90_000);

  it("ends with a plain sentence when the followed pod is deleted, and for a pod that does not exist", async () => {
    const hub = makeHub();
    const followed = view(hub, { single: true, containers: () => [{ ref: target, hasPrevious: false }] }, { follow: true, tailLines: 5 });
    await until(() => followed.states().includes("live"), "live");
    const url = `${sim.url}/api/v1/namespaces/${target.namespace}/pods/${target.pod}?gracePeriodSeconds=0`;
    const deleted = await fetch(url, { method: "DELETE", headers: { authorization: `Bearer ${sim.token}` } });
    expect(deleted.ok).toBe(true);
    await Promise.race([followed.done, sleep(20_000)]);
    expect(followed.events.at(-1)?.event).toMatchObject({ type: "status", state: "ended", message: expect.stringMatching(/deleted|does not exist/) });

    const missing = view(hub, { single: true, containers: () => [{ ref: { ...target, pod: "no-such-pod" }, hasPrevious: false }] }, { follow: true });
    await Promise.race([missing.done, sleep(10_000)]);
    expect(missing.events.at(-1)?.event).toEqual({
      type: "status",
      state: "ended",
      message: `Pod no-such-pod does not exist (any more) in ${target.namespace}.`,
    });
    hub.close();
  }, 60_000);

  it("says what a container that cannot start waits for, instead of reporting a lost connection", async () => {
    const registry = (await sim.control("GET", "/_sim/registry")) as { database_name: string }[];
    const other = registry[1].database_name;
    const namespace = `tenant-${other}`;
    await sim.control("POST", `/_sim/tenants/${other}/bad-image`);
    let pod: string | undefined;
    const deadline = Date.now() + 30_000;
    while (!pod && Date.now() < deadline) {
      const pods = await kubeGetJson<{
        items: { metadata: { name: string }; status?: { containerStatuses?: { state?: { waiting?: { reason?: string } } }[] } }[];
      }>(kubeConfig, `/api/v1/namespaces/${namespace}/pods`);
      pod = pods.items.find((p) => /ImagePull|ErrImage/.test(p.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? ""))?.metadata.name;
      if (!pod) await sleep(250);
    }
    if (!pod) throw new Error("no pod stuck pulling its image");
    const hub = makeHub();
    const waiting = view(hub, { single: true, containers: () => [{ ref: { namespace, pod: pod!, container: "odoo" }, hasPrevious: false }] }, { follow: true });
    await until(() => waiting.events.some((e) => e.event.type === "status" && e.event.state === "connecting" && Boolean(e.event.message)), "a waiting status");
    const status = waiting.events.map((e) => e.event).find((e) => e.type === "status" && e.message);
    expect(status).toMatchObject({ state: "connecting", message: expect.stringMatching(/^Waiting for the container to start \(.*waiting to start/) });
    expect(waiting.states()).not.toContain("reconnecting");
    await waiting.stop();
    hub.close();
  }, 60_000);
});

import { afterEach, describe, expect, it } from "vitest";
import { FRESH_CURSOR_ID } from "./log-cursor";
import { LogHub, type LogSource } from "./log-hub";
import { tooManyStreamsMessage, type LogSelection, type TrackedLogEvent } from "./log-view-session";
import { LineSequencer, normalizeTimestamp, OverlapFilter, parseKubeletLine } from "./log-line";
import type { LogLine } from "@/lib/logs/types";
import type { ContainerRef, UpstreamEvent } from "./upstream-stream";

/**
 * An in-memory stand-in for the kubelet's log endpoint, with its semantics: sinceTime at second
 * precision, tailLines, and a follow that ends when the pod goes. Ids come from the same
 * LineSequencer the real reader uses.
 */
class FakeCluster implements LogSource {
  followCalls = 0;
  readCalls = 0;
  private readonly logs = new Map<string, string[]>();
  private readonly followers = new Map<string, Set<{ push: (raw: string) => void; end: () => void }>>();
  private clock = Date.parse("2026-11-23T10:00:00.000Z");

  append(pod: string, container: string, text: string, stepMs = 1): string {
    this.clock += stepMs;
    const raw = `${new Date(this.clock).toISOString().replace("Z", "000000Z")} ${text}`;
    const key = `${pod}/${container}`;
    this.logs.set(key, [...(this.logs.get(key) ?? []), raw]);
    for (const follower of this.followers.get(key) ?? []) follower.push(raw);
    return raw;
  }

  deletePod(pod: string): void {
    for (const [key, set] of this.followers) if (key.startsWith(`${pod}/`)) for (const follower of [...set]) follower.end();
    for (const key of [...this.logs.keys()]) if (key.startsWith(`${pod}/`)) this.logs.delete(key);
  }

  now(): number {
    return this.clock;
  }

  follow = (ref: ContainerRef, sinceTime: string, signal: AbortSignal): AsyncIterable<UpstreamEvent> => {
    this.followCalls += 1;
    const key = `${ref.pod}/${ref.container}`;
    const sequencer = new LineSequencer(ref.pod, ref.container);
    const since = normalizeTimestamp(sinceTime)!;
    const queue: (string | null)[] = [];
    let wake: (() => void) | undefined;
    const follower = {
      push: (raw: string) => {
        queue.push(raw);
        wake?.();
      },
      end: () => {
        queue.push(null);
        wake?.();
      },
    };
    const followers = this.followers;
    const existing = this.logs.get(key);
    return (async function* () {
      if (!existing) {
        yield { type: "status", state: "ended", message: `Pod ${ref.pod} does not exist.` } as UpstreamEvent;
        return;
      }
      followers.set(key, new Set([...(followers.get(key) ?? []), follower]));
      signal.addEventListener("abort", () => wake?.(), { once: true });
      try {
        yield { type: "status", state: "live" };
        const first = existing.map((raw) => parseKubeletLine(raw)!).filter((raw) => raw.sortKey >= since);
        if (first.length) yield { type: "lines", lines: first.map((raw) => sequencer.next(raw)) };
        while (!signal.aborted) {
          if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
          const batch: LogLine[] = [];
          while (queue.length) {
            const raw = queue.shift()!;
            if (raw === null) {
              if (batch.length) yield { type: "lines", lines: batch };
              yield { type: "status", state: "ended", message: `Pod ${ref.pod} was deleted.` };
              return;
            }
            batch.push(sequencer.next(parseKubeletLine(raw)!));
          }
          if (batch.length) yield { type: "lines", lines: batch };
        }
      } finally {
        followers.get(key)?.delete(follower);
      }
    })();
  };

  read = (
    ref: ContainerRef,
    options: { tailLines?: number; sinceTime?: string; resumeFrom?: { sortKey: string; count: number } },
  ): AsyncIterable<UpstreamEvent> => {
    this.readCalls += 1;
    const raws = (this.logs.get(`${ref.pod}/${ref.container}`) ?? []).map((raw) => parseKubeletLine(raw)!);
    return (async function* () {
      if (options.resumeFrom) {
        const second = options.resumeFrom.sortKey.slice(0, 19);
        const filter = new OverlapFilter(options.resumeFrom);
        const sequencer = new LineSequencer(ref.pod, ref.container, options.resumeFrom);
        const lines = raws.filter((raw) => raw.sortKey.slice(0, 19) >= second && filter.accept(raw)).map((raw) => sequencer.next(raw));
        yield { type: "lines", lines } as UpstreamEvent;
        return;
      }
      const since = options.sinceTime ? normalizeTimestamp(options.sinceTime)! : "";
      let selected = raws.filter((raw) => raw.sortKey >= since);
      if (options.tailLines !== undefined) selected = selected.slice(-options.tailLines);
      const sequencer = new LineSequencer(ref.pod, ref.container);
      yield { type: "lines", lines: selected.map((raw) => sequencer.next(raw)) } as UpstreamEvent;
    })();
  };
}

const ref = (pod: string, container = "odoo"): ContainerRef => ({ namespace: "tenant-a", pod, container });
const single = (pod: string, container = "odoo"): LogSelection => ({ single: true, containers: () => [{ ref: ref(pod, container), hasPrevious: false }] });

/** Reads a view in the background, collecting events. */
function watch(hub: LogHub, selection: LogSelection, options: Parameters<LogHub["open"]>[1]) {
  const abort = new AbortController();
  const events: TrackedLogEvent[] = [];
  const done = (async () => {
    for await (const event of hub.open(selection, options, abort.signal)) events.push(event);
  })();
  const texts = () => events.flatMap((e) => (e.event.type === "lines" ? e.event.lines.map((l) => l.text) : []));
  const lines = () => events.flatMap((e) => (e.event.type === "lines" ? e.event.lines : []));
  const states = () => events.flatMap((e) => (e.event.type === "status" ? [e.event.state] : []));
  return { events, texts, lines, states, done, stop: () => abort.abort(), lastId: () => events.at(-1)?.id };
}

async function until(check: () => boolean, what: string, timeoutMs = 2_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const hubs: LogHub[] = [];
function makeHub(cluster: FakeCluster, maxUpstreams = 10, extra: Partial<ConstructorParameters<typeof LogHub>[0]> = {}) {
  const hub = new LogHub({ source: cluster, maxUpstreams, batching: { maxLines: 500, maxDelayMs: 5 }, lingerMs: 50, now: () => cluster.now(), ...extra });
  hubs.push(hub);
  return hub;
}

afterEach(() => {
  for (const hub of hubs.splice(0)) hub.close();
});

describe("LogHub", () => {
  it("shares one upstream between viewers of a container and fans lines out to each", async () => {
    const cluster = new FakeCluster();
    for (let i = 0; i < 5; i += 1) cluster.append("p1", "odoo", `old ${i}`);
    const hub = makeHub(cluster);
    const a = watch(hub, single("p1"), { follow: true, tailLines: 3 });
    const b = watch(hub, single("p1"), { follow: true, tailLines: 100 });
    await until(() => a.texts().length === 3 && b.texts().length === 5, "history");
    expect(a.texts()).toEqual(["old 2", "old 3", "old 4"]);
    cluster.append("p1", "odoo", "new 1");
    cluster.append("p1", "odoo", "new 2");
    await until(() => a.texts().length === 5 && b.texts().length === 7, "live lines");
    expect(a.texts().slice(3)).toEqual(["new 1", "new 2"]);
    expect(b.texts().slice(5)).toEqual(["new 1", "new 2"]);
    expect(cluster.followCalls).toBe(1);
    expect(hub.upstreamCount).toBe(1);
    expect(a.states()).toContain("live");
    a.stop();
    b.stop();
    await Promise.all([a.done, b.done]);
  });

  it("refuses past the cap with the contract's message, and frees the slot when a view closes", async () => {
    const cluster = new FakeCluster();
    cluster.append("p1", "odoo", "x");
    cluster.append("p2", "odoo", "y");
    const hub = makeHub(cluster, 1, { lingerMs: 10_000 });
    const a = watch(hub, single("p1"), { follow: true });
    await until(() => a.texts().length === 1, "first view");
    const b = watch(hub, single("p2"), { follow: true });
    await b.done;
    expect(b.events.at(-1)?.event).toEqual({ type: "status", state: "error", message: tooManyStreamsMessage(1) });
    expect(tooManyStreamsMessage(200)).toBe("Too many live log streams right now (200). Close another log view or try again shortly.");
    a.stop();
    await a.done;
    // The closed view's upstream lingers but gives way to a new one.
    const c = watch(hub, single("p2"), { follow: true });
    await until(() => c.texts().length === 1, "view after the slot was freed");
    c.stop();
    await c.done;
  });

  it("resumes after the last event id without losing or repeating a line (from the buffer, then from the API)", async () => {
    const cluster = new FakeCluster();
    for (let i = 0; i < 3; i += 1) cluster.append("p1", "odoo", `line ${i}`);
    const hub = makeHub(cluster, 10, { bufferLines: 5, lingerMs: 10_000 });
    const first = watch(hub, single("p1"), { follow: true });
    await until(() => first.texts().length === 3, "history");
    // Same timestamp twice: the cursor's n tells them apart.
    cluster.append("p1", "odoo", "dup", 1);
    cluster.append("p1", "odoo", "dup", 0);
    await until(() => first.texts().length === 5, "live");
    first.stop();
    await first.done;
    const lastId = first.lastId()!;
    expect(lastId).toBe(first.lines().at(-1)!.id);
    cluster.append("p1", "odoo", "while away 1");
    cluster.append("p1", "odoo", "while away 2");
    const resumed = watch(hub, single("p1"), { follow: true, lastEventId: lastId });
    await until(() => resumed.texts().length === 2, "resumed lines");
    expect(resumed.texts()).toEqual(["while away 1", "while away 2"]);
    const readsBefore = cluster.readCalls;
    expect(readsBefore).toBe(1);
    resumed.stop();
    await resumed.done;

    // Far behind the buffer (5 lines): the older part comes from the API, the rest from memory.
    for (let i = 0; i < 12; i += 1) cluster.append("p1", "odoo", `later ${i}`);
    // Let the shared upstream take them in (and drop the resume position from its 5-line buffer).
    await new Promise((resolve) => setTimeout(resolve, 20));
    const behind = watch(hub, single("p1"), { follow: true, lastEventId: lastId });
    await until(() => behind.texts().length === 14, "resumed from the API");
    expect(behind.texts()).toEqual(["while away 1", "while away 2", ...Array.from({ length: 12 }, (_, i) => `later ${i}`)]);
    expect(cluster.readCalls).toBe(readsBefore + 1);
    cluster.append("p1", "odoo", "after");
    await until(() => behind.texts().length === 15, "live after resume");
    behind.stop();
    await behind.done;
  });

  it("merges containers by time and resumes each container from the merged cursor", async () => {
    const cluster = new FakeCluster();
    cluster.append("p1", "odoo", "a1");
    cluster.append("p2", "odoo", "b1");
    cluster.append("p1", "odoo", "a2");
    cluster.append("p2", "odoo", "b2");
    const hub = makeHub(cluster, 10, { lingerMs: 10_000 });
    const pods = ["p1", "p2"];
    const merged: LogSelection = { single: false, containers: () => pods.map((pod) => ({ ref: ref(pod), hasPrevious: false })) };
    const view = watch(hub, merged, { follow: true });
    await until(() => view.texts().length === 4, "merged history");
    expect(view.texts()).toEqual(["a1", "b1", "a2", "b2"]);
    expect(view.lastId()).not.toBe(FRESH_CURSOR_ID);
    view.stop();
    await view.done;
    cluster.append("p2", "odoo", "b3");
    cluster.append("p1", "odoo", "a3");
    const resumed = watch(hub, merged, { follow: true, lastEventId: view.lastId() });
    await until(() => resumed.texts().length === 2, "resumed merged");
    expect(resumed.texts()).toEqual(["b3", "a3"]);
    resumed.stop();
    await resumed.done;
  });

  it("ends a followed view with a plain sentence when its pod is deleted", async () => {
    const cluster = new FakeCluster();
    cluster.append("p1", "odoo", "hello");
    const hub = makeHub(cluster);
    const view = watch(hub, single("p1"), { follow: true });
    await until(() => view.texts().length === 1 && view.states().includes("live"), "live view");
    cluster.deletePod("p1");
    await view.done;
    expect(view.events.at(-1)?.event).toEqual({ type: "status", state: "ended", message: "Pod p1 was deleted." });
    const missing = watch(hub, single("p1"), { follow: true });
    await missing.done;
    expect(missing.events.at(-1)?.event).toMatchObject({ type: "status", state: "ended" });
  });

  it("reads once without following: tail, then ended", async () => {
    const cluster = new FakeCluster();
    for (let i = 0; i < 10; i += 1) cluster.append("p1", "odoo", `l${i}`);
    const hub = makeHub(cluster);
    const view = watch(hub, single("p1"), { follow: false, tailLines: 4 });
    await view.done;
    expect(view.texts()).toEqual(["l6", "l7", "l8", "l9"]);
    expect(view.states()).toEqual(["ended"]);
    expect(cluster.followCalls).toBe(0);
  });
});

describe("LogHub limits", () => {
  it("stops a view whose subscriber falls too far behind instead of queueing without end", async () => {
    const cluster = new FakeCluster();
    for (let i = 0; i < 30; i += 1) cluster.append("p1", "odoo", `l${i}`);
    const hub = makeHub(cluster, 10, { maxQueuedLines: 10 });
    const abort = new AbortController();
    const iterator = hub.open(single("p1"), { follow: true, tailLines: 20 }, abort.signal)[Symbol.asyncIterator]();
    const events: TrackedLogEvent[] = [];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) events.push(next.value);
    expect(events.at(-1)?.event).toMatchObject({ type: "status", state: "error", message: expect.stringContaining("fell too far behind") });
    abort.abort();
  });

  it("reads a finished pod of a merged view once and holds no upstream for it", async () => {
    const cluster = new FakeCluster();
    cluster.append("backup-1", "backup", "dump done");
    cluster.append("p1", "odoo", "serving");
    const hub = makeHub(cluster);
    const merged: LogSelection = {
      single: false,
      containers: () => [
        { ref: ref("backup-1", "backup"), hasPrevious: false, finished: true },
        { ref: ref("p1"), hasPrevious: false },
      ],
    };
    const view = watch(hub, merged, { follow: true });
    await until(() => view.texts().length === 2, "both logs");
    expect(view.texts()).toEqual(["dump done", "serving"]);
    expect(hub.upstreamCount).toBe(1);
    view.stop();
    await view.done;
  });
});

describe("LogHub merged views", () => {
  it("takes in a container that appears while followed (a rollout's new pod), from the view's start", async () => {
    const cluster = new FakeCluster();
    cluster.append("old", "odoo", "old 1");
    const hub = makeHub(cluster);
    const pods = ["old"];
    let changed: (() => void) | undefined;
    const tenant: LogSelection = {
      single: false,
      containers: () => pods.map((pod) => ({ ref: ref(pod), hasPrevious: false })),
      onChange: (listener) => {
        changed = listener;
        return () => (changed = undefined);
      },
    };
    const view = watch(hub, tenant, { follow: true });
    await until(() => view.texts().length === 1 && changed !== undefined, "the old pod");
    cluster.append("new", "odoo", "new 1");
    cluster.append("new", "odoo", "new 2");
    pods.push("new");
    changed!();
    await until(() => view.texts().length === 3, "the new pod's lines");
    cluster.append("old", "odoo", "old 2");
    cluster.append("new", "odoo", "new 3");
    await until(() => view.texts().length === 5, "live lines of both");
    expect(view.texts()).toEqual(["old 1", "new 1", "new 2", "old 2", "new 3"]);
    expect(view.lines().map((l) => l.pod)).toEqual(["old", "new", "new", "old", "new"]);
    expect(hub.upstreamCount).toBe(2);
    view.stop();
    await view.done;
  });
});

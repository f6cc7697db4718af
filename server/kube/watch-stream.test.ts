import http from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { listAndWatch, type RawObject, type WatchEvent } from "./watch-stream";

/** A scripted API server: each test decides how lists and watches answer. */
type Handler = (url: URL, res: http.ServerResponse, req: http.IncomingMessage) => void;

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function fakeApi(handler: Handler): Promise<{ kubeConfig: KubeConfig; requests: URL[] }> {
  const requests: URL[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push(url);
    if (req.headers.authorization !== "Bearer test-token") {
      res.writeHead(401).end(JSON.stringify({ kind: "Status", code: 401, reason: "Unauthorized", message: "Unauthorized" }));
      return;
    }
    handler(url, res, req);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: "fake", server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: "fake", token: "test-token" }],
    contexts: [{ name: "fake", cluster: "fake", user: "fake" }],
    currentContext: "fake",
  });
  return { kubeConfig, requests };
}

const pod = (name: string, rv: string) => ({ metadata: { name, namespace: "ns", resourceVersion: rv } });
const list = (res: http.ServerResponse, items: unknown[], rv: string, cont?: string) =>
  res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ kind: "PodList", metadata: { resourceVersion: rv, continue: cont }, items }));
const line = (res: http.ServerResponse, type: string, object: unknown) => res.write(`${JSON.stringify({ type, object })}\n`);
const status = (code: number, reason: string, message: string) => ({ kind: "Status", apiVersion: "v1", status: "Failure", code, reason, message });

async function collect(
  kubeConfig: KubeConfig,
  until: (events: WatchEvent<RawObject>[]) => boolean,
  options: { silenceTimeoutMs?: number } = {},
): Promise<WatchEvent<RawObject>[]> {
  const abort = new AbortController();
  const events: WatchEvent<RawObject>[] = [];
  const timer = setTimeout(() => abort.abort(), 8_000);
  for await (const event of listAndWatch({
    kubeConfig,
    path: "/api/v1/pods",
    signal: abort.signal,
    transform: (raw) => raw,
    pageSize: 2,
    backoff: { initialMs: 10, maxMs: 50 },
    silenceTimeoutMs: options.silenceTimeoutMs ?? 60_000,
  })) {
    events.push(event);
    if (until(events)) abort.abort();
  }
  clearTimeout(timer);
  return events;
}

describe("listAndWatch", () => {
  it("lists page by page, watches from the list's resourceVersion, resumes from the last one", async () => {
    let watches = 0;
    const { kubeConfig, requests } = await fakeApi((url, res) => {
      if (url.searchParams.get("watch") !== "true") {
        if (!url.searchParams.get("continue")) list(res, [pod("a", "5"), pod("b", "6")], "10", "page2");
        else list(res, [pod("c", "7")], "10");
        return;
      }
      watches++;
      res.writeHead(200, { "Content-Type": "application/json" });
      if (watches === 1) {
        line(res, "ADDED", pod("d", "11"));
        line(res, "BOOKMARK", { metadata: { resourceVersion: "12" } });
        res.end();
      } else {
        line(res, "DELETED", pod("a", "13"));
      }
    });
    const events = await collect(kubeConfig, (e) => e.length === 4);
    expect(events.map((e) => e.type)).toEqual(["sync", "added", "bookmark", "deleted"]);
    expect(events[0]).toMatchObject({ type: "sync", resourceVersion: "10" });
    expect((events[0] as { items: unknown[] }).items).toHaveLength(3);
    const watchRequests = requests.filter((r) => r.searchParams.get("watch") === "true");
    expect(watchRequests[0].searchParams.get("resourceVersion")).toBe("10");
    expect(watchRequests[0].searchParams.get("allowWatchBookmarks")).toBe("true");
    expect(watchRequests[1].searchParams.get("resourceVersion")).toBe("12");
    expect(requests[0].searchParams.get("limit")).toBe("2");
  });

  it("relists on 410 Gone", async () => {
    let lists = 0;
    const { kubeConfig } = await fakeApi((url, res) => {
      if (url.searchParams.get("watch") !== "true") {
        lists++;
        list(res, lists === 1 ? [pod("a", "5")] : [pod("b", "30")], lists === 1 ? "10" : "30");
        return;
      }
      res.writeHead(200);
      if (url.searchParams.get("resourceVersion") === "10") {
        line(res, "ERROR", status(410, "Expired", "too old resource version: 10 (25)"));
        res.end();
      }
    });
    const events = await collect(kubeConfig, (e) => e.filter((x) => x.type === "sync").length === 2);
    expect(events.map((e) => e.type)).toEqual(["sync", "error", "sync"]);
    const error = events[1] as Extract<WatchEvent<RawObject>, { type: "error" }>;
    expect(error.error).toMatchObject({ kind: "gone", status: 410 });
    expect(error.error.message).toContain("too old resource version");
    expect((events[2] as { items: RawObject[] }).items[0].metadata?.name).toBe("b");
  });

  it("honours Retry-After on 429 and reports the API's message", async () => {
    let lists = 0;
    const { kubeConfig } = await fakeApi((url, res) => {
      if (url.searchParams.get("watch") !== "true") {
        lists++;
        if (lists === 1) {
          res.writeHead(429, { "Retry-After": "1" }).end(JSON.stringify(status(429, "TooManyRequests", "too many requests, slow down")));
          return;
        }
        list(res, [], "10");
        return;
      }
      res.writeHead(200);
    });
    const started = Date.now();
    const events = await collect(kubeConfig, (e) => e.some((x) => x.type === "sync"));
    expect(events[0]).toMatchObject({ type: "error", retryInMs: 1000, error: { kind: "throttled", status: 429, retryAfterSeconds: 1 } });
    expect((events[0] as { error: Error }).error.message).toContain("too many requests, slow down");
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("turns RBAC refusals and unreachable servers into readable errors, then recovers", async () => {
    let lists = 0;
    const { kubeConfig } = await fakeApi((url, res) => {
      lists++;
      if (lists === 1) {
        res
          .writeHead(403)
          .end(JSON.stringify(status(403, "Forbidden", 'pods is forbidden: User "system:serviceaccount:fleet:portal" cannot list resource "pods"')));
        return;
      }
      if (url.searchParams.get("watch") !== "true") list(res, [], "10");
      else res.writeHead(200);
    });
    const events = await collect(kubeConfig, (e) => e.some((x) => x.type === "sync"));
    expect(events[0]).toMatchObject({ type: "error", error: { kind: "forbidden", status: 403 } });
    expect((events[0] as { error: Error }).error.message).toBe(
      'Kubernetes RBAC forbids this (403): pods is forbidden: User "system:serviceaccount:fleet:portal" cannot list resource "pods"',
    );

    const unreachable = new KubeConfig();
    unreachable.loadFromOptions({
      clusters: [{ name: "gone", server: "http://127.0.0.1:1", skipTLSVerify: true }],
      users: [{ name: "u", token: "t" }],
      contexts: [{ name: "c", cluster: "gone", user: "u" }],
      currentContext: "c",
    });
    const down = await collect(unreachable, (e) => e.length === 2);
    expect(down.map((e) => e.type === "error" && e.error.kind)).toEqual(["unreachable", "unreachable"]);
    expect((down[1] as { retryInMs: number }).retryInMs).toBeGreaterThanOrEqual(10);
  });

  it("restarts a watch that stays silent longer than the silence timeout and reports it stalled when the server does not answer a list either", async () => {
    let watches = 0;
    const { kubeConfig, requests } = await fakeApi((url, res) => {
      if (url.searchParams.get("watch") !== "true") {
        // The check after the silence (limit=1) gets no answer, as from a hung server.
        if (url.searchParams.get("limit") === "1") return;
        return list(res, [], "10");
      }
      watches++;
      res.writeHead(200);
      if (watches === 2) line(res, "ADDED", pod("x", "11"));
      // Otherwise: headers sent, then nothing, ever.
    });
    const seenAt: number[] = [];
    const events = await collect(
      kubeConfig,
      (e) => {
        seenAt.push(Date.now());
        return e.some((x) => x.type === "added");
      },
      { silenceTimeoutMs: 300 },
    );
    expect(events.map((e) => e.type)).toEqual(["sync", "error", "connected", "added"]);
    expect(events[1]).toMatchObject({ error: { kind: "stalled", summary: "No event or bookmark for 0.3 s, so the watch was restarted" } });
    // Reported once the silence and the check's own timeout (as long as the silence) have passed.
    expect(seenAt[1] - seenAt[0]).toBeGreaterThanOrEqual(590);
    // The check after the silence, and the one after reconnecting (neither answered here).
    expect(requests.filter((r) => r.searchParams.get("limit") === "1")).toHaveLength(2);
    const watchRequests = requests.filter((r) => r.searchParams.get("watch") === "true");
    expect(watchRequests.map((r) => r.searchParams.get("resourceVersion"))).toEqual(["10", "10"]);
  });

  it("keeps a quiet watch that sends bookmarks open past the silence timeout", async () => {
    const timers: NodeJS.Timeout[] = [];
    const { kubeConfig, requests } = await fakeApi((url, res) => {
      if (url.searchParams.get("watch") !== "true") return list(res, [], "10");
      res.writeHead(200);
      let rv = 10;
      const bookmarks = setInterval(() => line(res, "BOOKMARK", { kind: "Pod", metadata: { resourceVersion: String(++rv) } }), 100);
      timers.push(bookmarks);
      res.on("close", () => clearInterval(bookmarks));
    });
    const events = await collect(kubeConfig, (e) => e.filter((x) => x.type === "bookmark").length >= 8, { silenceTimeoutMs: 300 });
    timers.forEach(clearInterval);
    expect(events.some((e) => e.type === "error")).toBe(false);
    expect(requests.filter((r) => r.searchParams.get("watch") === "true")).toHaveLength(1);
  });

  it("keeps a quiet watch without bookmarks fresh when the server answers a list: restarted from the same resourceVersion, no error", async () => {
    let watches = 0;
    const { kubeConfig, requests } = await fakeApi((url, res) => {
      if (url.searchParams.get("watch") !== "true") return list(res, [], "10");
      watches++;
      res.writeHead(200);
      // The first watch hears nothing (Events on a real server get no bookmarks); the second does.
      if (watches === 2) setTimeout(() => line(res, "ADDED", pod("x", "11")), 50);
    });
    const events = await collect(kubeConfig, (e) => e.some((x) => x.type === "added"), { silenceTimeoutMs: 300 });
    // The restarted watch counts as heard from (a bookmark at the same resourceVersion): no error, no stale.
    expect(events.map((e) => e.type)).toEqual(["sync", "bookmark", "added"]);
    expect(events[1]).toMatchObject({ type: "bookmark", resourceVersion: "10" });
    const watchRequests = requests.filter((r) => r.searchParams.get("watch") === "true");
    expect(watchRequests.map((r) => r.searchParams.get("resourceVersion"))).toEqual(["10", "10"]);
    const checks = requests.filter((r) => r.searchParams.get("watch") !== "true" && r.searchParams.get("limit") === "1");
    expect(checks).toHaveLength(1);
  });

  it("is live again after an error once the new watch is open and a list answers, with no data on it (a quiet Events feed)", async () => {
    let watches = 0;
    const { kubeConfig } = await fakeApi((url, res) => {
      if (url.searchParams.get("watch") !== "true") return list(res, [], "10");
      watches++;
      if (watches === 1) {
        res.writeHead(403, { "Content-Type": "application/json" }).end(JSON.stringify(status(403, "Forbidden", "RBAC not ready yet")));
        return;
      }
      res.writeHead(200).flushHeaders();
      // Open, and silent from then on.
    });
    const events = await collect(kubeConfig, (e) => e.some((x) => x.type === "connected"), { silenceTimeoutMs: 60_000 });
    expect(events.map((e) => (e.type === "error" ? `error:${e.error.kind}` : e.type))).toEqual(["sync", "error:forbidden", "connected"]);
    expect(events[1]).toMatchObject({ error: { kind: "forbidden" } });
  });
});

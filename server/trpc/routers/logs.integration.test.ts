/**
 * logs.targets, logs.stream and the download route end to end on the server side: the simulator
 * as the cluster, the real watch cache and tenant directory, an in-memory database with the
 * simulator's registry imported. Checks what the contract promises callers: targets from the
 * cache, a followed single container with plain line ids, a whole tenant with a merged cursor,
 * plain "ended" sentences, the audit record of every access, and the download's name and lines.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppSession } from "@/server/auth/session";
import type { PrismaClient } from "@/server/db/client";
import { PEER_ADDRESS_HEADER } from "@/server/http/client-address";
import type { LogStreamEvent, LogTarget } from "@/lib/logs/types";
import { startSimulator, type Simulator } from "@/scripts/lib/stack";
import { sessionCookieFor } from "@/scripts/test-support/session-cookie";

let sim: Simulator;
let workDir: string;
let db: PrismaClient;
let tenant: { id: string; databaseName: string; name: string };
let operator: AppSession;
let viewer: AppSession;
let modules: {
  router: typeof import("@/server/trpc/routers/logs");
  init: typeof import("@/server/trpc/init");
  download: typeof import("@/app/api/logs/download/route");
  auditExport: typeof import("@/app/api/audit/export/route");
  trpcRoute: typeof import("@/app/api/trpc/[trpc]/route");
  sessionToken: typeof import("@/server/auth/session-token");
  runtime: typeof import("@/server/runtime");
};

function caller(session: AppSession, signal?: AbortSignal) {
  return modules.init.createCallerFactory(modules.router.logsRouter)({ session, headers: new Headers(), db }, { signal });
}

type StreamInput = Parameters<ReturnType<typeof caller>["stream"]>[0];

/** Reads a subscription until `stop` says so (or it ends); returns the tracked events. */
async function read(session: AppSession, input: StreamInput, stop: (events: { id: string; data: LogStreamEvent }[]) => boolean, timeoutMs = 20_000) {
  const abort = new AbortController();
  const events: { id: string; data: LogStreamEvent }[] = [];
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  // A server-side caller gets tracked() envelopes as they are: [id, data, marker].
  const iterable = (await caller(session, abort.signal).stream(input)) as unknown as AsyncIterable<[string, LogStreamEvent]>;
  try {
    for await (const [id, data] of iterable) {
      events.push({ id, data });
      if (stop(events)) break;
    }
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return events;
}

const lines = (events: { data: LogStreamEvent }[]) => events.flatMap((e) => (e.data.type === "lines" ? e.data.lines : []));

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "fleetdeck-logs-router-"));
  sim = await startSimulator({ dataDir: path.join(workDir, "sim"), tenants: 4, scenario: "healthy", seed: 3, quiet: true });
  // server/env.ts reads these on import, so the portal modules load only now.
  Object.assign(process.env, {
    KUBECONFIG: sim.kubeconfig,
    DATABASE_URL: "memory://",
    FLEETDECK_DATA_DIR: path.join(workDir, "data"),
    NEXTAUTH_SECRET: "integration-test-secret-0123456789abcdef",
  });
  const { runtime } = await import("@/server/runtime");
  db = runtime().db;
  await runtime().migrateDb();
  const { importRegistry } = await import("@/server/tenants/registry-import");
  const rows = (await sim.control("GET", "/_sim/registry")) as { id: string; name: string; database_name: string }[];
  const imported = await importRegistry(db, JSON.stringify(rows), "json", { cluster: "default", actor: { name: "test@local" } });
  expect(imported.problems).toEqual([]);
  tenant = { id: rows[0].id, databaseName: rows[0].database_name, name: rows[0].name };
  const makeUser = async (role: "operator" | "viewer"): Promise<AppSession> => {
    const user = await db.user.create({ data: { email: `${role}@test.local`, name: role, role } });
    return { user: { id: user.id, email: user.email, name: user.name, role } };
  };
  operator = await makeUser("operator");
  viewer = await makeUser("viewer");
  modules = {
    router: await import("@/server/trpc/routers/logs"),
    init: await import("@/server/trpc/init"),
    download: await import("@/app/api/logs/download/route"),
    auditExport: await import("@/app/api/audit/export/route"),
    trpcRoute: await import("@/app/api/trpc/[trpc]/route"),
    sessionToken: await import("@/server/auth/session-token"),
    runtime: await import("@/server/runtime"),
  };
}, 120_000);

afterAll(async () => {
  await modules?.runtime.runtime().stop();
  await sim?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function cookieFor(session: AppSession): Promise<string> {
  return sessionCookieFor(db, modules.sessionToken, session);
}

async function runningPod(): Promise<LogTarget> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const targets = await caller(operator).targets({ tenantId: tenant.id });
    const running = targets.find((t) => t.phase === "Running" && t.containers.some((c) => c.name === "odoo" && c.state === "Running"));
    if (running) return running;
    if (Date.now() > deadline) throw new Error(`no running pod: ${JSON.stringify(targets)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("logs router", () => {
  it("lists the tenant's pods and containers from the cache", async () => {
    const pod = await runningPod();
    expect(pod.containers.find((c) => c.name === "odoo")).toMatchObject({ init: false, restartCount: expect.any(Number), hasPrevious: expect.any(Boolean) });
  });

  it("refuses a role without logs:read", async () => {
    await expect(caller(viewer).targets({ tenantId: tenant.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("answers an unknown tenant with NOT_FOUND before the stream opens, not with an error inside it", async () => {
    const unknown = { tenantId: "00000000-0000-4000-8000-000000000000", follow: true };
    await expect(caller(operator).stream(unknown)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("follows one container with line ids as event ids, and records the access", async () => {
    const pod = await runningPod();
    const since = new Date();
    const events = await read(
      operator,
      { tenantId: tenant.id, pod: pod.pod, container: "odoo", follow: true, tailLines: 5 },
      (seen) => seen.some((e) => e.data.type === "status" && e.data.state === "live") && lines(seen).length >= 5,
    );
    const received = lines(events);
    expect(received).toHaveLength(5);
    expect(received.every((line) => line.pod === pod.pod && line.container === "odoo")).toBe(true);
    const lastLinesEvent = events.filter((e) => e.data.type === "lines").at(-1)!;
    expect(lastLinesEvent.id).toBe(received.at(-1)!.id);

    const audit = await db.auditEvent.findMany({ where: { action: "logs.read", at: { gte: since } } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: operator.user.id, actorEmail: operator.user.email, targetKind: "tenant", targetId: tenant.id });
    expect(audit[0].details).toMatchObject({
      via: "stream",
      databaseName: tenant.databaseName,
      pod: pod.pod,
      container: "odoo",
      options: { follow: true, tailLines: 5 },
    });
  });

  it("streams a whole tenant with a merged cursor, and ends with a sentence for a pod that does not exist", async () => {
    const events = await read(operator, { tenantId: tenant.id, follow: true, tailLines: 20 }, (seen) => lines(seen).length >= 1);
    expect(lines(events).length).toBeGreaterThan(0);
    expect(events.at(-1)!.id.startsWith("m1.")).toBe(true);

    const missing = await read(operator, { tenantId: tenant.id, pod: "no-such-pod", container: "odoo", follow: true }, () => false);
    expect(missing.map((e) => e.data)).toEqual([{ type: "status", state: "ended", message: "Pod no-such-pod does not exist in this tenant (any more)." }]);
    const pod = await runningPod();
    const noContainer = await read(operator, { tenantId: tenant.id, pod: pod.pod, container: "nginx", follow: true }, () => false);
    expect(noContainer.map((e) => e.data)).toEqual([{ type: "status", state: "ended", message: `Pod ${pod.pod} has no container "nginx".` }]);
  });

  it("takes a rollout's new pod into a followed whole-tenant view, next to the old one", async () => {
    const before = await runningPod();
    const abort = new AbortController();
    const events: { id: string; data: LogStreamEvent }[] = [];
    const iterable = (await caller(operator, abort.signal).stream({ tenantId: tenant.id, follow: true, tailLines: 10 })) as unknown as AsyncIterable<
      [string, LogStreamEvent]
    >;
    const reading = (async () => {
      try {
        for await (const [id, data] of iterable) events.push({ id, data });
      } catch (error) {
        if (!abort.signal.aborted) throw error;
      }
    })();
    const deadline = Date.now() + 30_000;
    while (!events.some((e) => e.data.type === "status" && e.data.state === "live") && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const patched = await fetch(`${sim.url}/apis/apps/v1/namespaces/tenant-${tenant.databaseName}/deployments/${tenant.name}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${sim.token}`, "content-type": "application/merge-patch+json" },
      body: JSON.stringify({ spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": new Date().toISOString() } } } } }),
    });
    expect(patched.ok).toBe(true);
    const fromNewPod = () => lines(events).filter((line) => line.pod !== before.pod);
    while (!fromNewPod().some((line) => line.text.includes("Odoo version")) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    abort.abort();
    await reading;
    expect(
      fromNewPod().some((line) => line.text.includes("Odoo version")),
      "the new pod's start-up lines",
    ).toBe(true);
    const ids = lines(events).map((line) => line.id);
    expect(new Set(ids).size).toBe(ids.length);
  }, 60_000);

  it("downloads the log as a named file with '<ts> <pod>/<container> <text>' lines, for logs:read only", async () => {
    const pod = await runningPod();
    const url = `http://portal.test/api/logs/download?tenantId=${tenant.id}&pod=${pod.pod}&container=odoo&tailLines=10`;
    const since = new Date();

    const response = await modules.download.GET(new Request(url, { headers: { cookie: await cookieFor(operator) } }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      new RegExp(`^attachment; filename="${tenant.databaseName}_${pod.pod}_odoo_\\d{8}-\\d{6}\\.log"$`),
    );
    const body = (await response.text()).split("\n").filter(Boolean);
    expect(body).toHaveLength(10);
    for (const line of body) expect(line).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\S+Z ${pod.pod}/odoo `));
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "logs.read", at: { gte: since } } });
    expect(audit.details).toMatchObject({ via: "download", pod: pod.pod, container: "odoo", options: { follow: false, tailLines: 10 } });

    const whole = await modules.download.GET(
      new Request(`http://portal.test/api/logs/download?tenantId=${tenant.id}&tailLines=3`, { headers: { cookie: await cookieFor(operator) } }),
    );
    expect(whole.headers.get("content-disposition")).toMatch(new RegExp(`filename="${tenant.databaseName}_all-pods_\\d{8}-\\d{6}\\.log"`));
    expect((await whole.text()).split("\n").filter(Boolean)).toHaveLength(3);

    expect((await modules.download.GET(new Request(url, { headers: { cookie: await cookieFor(viewer) } }))).status).toBe(403);
    expect((await modules.download.GET(new Request(url))).status).toBe(401);
    const missing = await modules.download.GET(new Request(url.replace(pod.pod, "no-such-pod"), { headers: { cookie: await cookieFor(operator) } }));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/does not exist/);
  });

  it("records refused downloads, exports and cross-site mutations as denied, and exports the filtered log as CSV, itself audited", async () => {
    const since = new Date().toISOString();
    const headers = async (session: AppSession, extra: Record<string, string> = {}) => ({
      cookie: await cookieFor(session),
      [PEER_ADDRESS_HEADER]: "192.0.2.10",
      ...extra,
    });
    const download = `http://portal.test/api/logs/download?tenantId=${tenant.id}&tailLines=1`;
    expect((await modules.download.GET(new Request(download, { headers: await headers(viewer) }))).status).toBe(403);
    expect((await modules.download.GET(new Request(download, { headers: await headers(operator, { "sec-fetch-site": "cross-site" }) }))).status).toBe(403);
    const exportUrl = (query: string) => `http://portal.test/api/audit/export?${query}`;
    expect((await modules.auditExport.GET(new Request(exportUrl(""), { headers: await headers(viewer) }))).status).toBe(403);
    expect((await modules.auditExport.GET(new Request(exportUrl(""), { headers: await headers(operator, { "sec-fetch-site": "cross-site" }) }))).status).toBe(
      403,
    );
    expect((await modules.auditExport.GET(new Request(exportUrl("outcome=maybe"), { headers: await headers(operator) }))).status).toBe(400);
    const crossSiteMutation = async (session: AppSession | null) =>
      new Request("http://portal.test/api/trpc/users.setDisabled", {
        method: "POST",
        headers: {
          ...(session ? await headers(session) : {}),
          "content-type": "application/json",
          origin: "https://attacker.example",
          "sec-fetch-site": "cross-site",
        },
        body: "{}",
      });
    expect((await modules.trpcRoute.POST(await crossSiteMutation(viewer))).status).toBe(403);
    // Without a session the forged request reaches nothing and names nobody: refused, not recorded.
    expect((await modules.trpcRoute.POST(await crossSiteMutation(null))).status).toBe(403);

    const response = await modules.auditExport.GET(
      new Request(exportUrl(`outcome=denied&from=${encodeURIComponent(since)}`), { headers: await headers(operator) }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-log_\d{8}-\d{6}\.csv"$/);
    const [header, ...rows] = (await response.text()).trimEnd().split("\r\n");
    expect(header).toBe("at,actor,action,targetKind,targetId,outcome,sourceAddress,userAgent,details");
    // Newest first; rows written in the same millisecond may come in either order.
    expect(rows.map((row) => row.split(",")[0])).toEqual(
      rows
        .map((row) => row.split(",")[0])
        .sort()
        .reverse(),
    );
    expect(rows.map((row) => row.split(",").slice(1, 7).join(",")).sort()).toEqual([
      "operator@test.local,route.call,route,/api/audit/export,denied,192.0.2.10",
      "operator@test.local,route.call,route,/api/logs/download,denied,192.0.2.10",
      "viewer@test.local,route.call,route,/api/audit/export,denied,192.0.2.10",
      "viewer@test.local,route.call,route,/api/logs/download,denied,192.0.2.10",
      "viewer@test.local,route.call,route,/api/trpc/users.setDisabled,denied,192.0.2.10",
    ]);
    expect(await db.auditEvent.findFirstOrThrow({ where: { action: "audit.export", at: { gte: new Date(since) } } })).toMatchObject({
      actorEmail: "operator@test.local",
      outcome: "success",
      details: { filter: { outcome: "denied", from: since } },
    });
  });
});

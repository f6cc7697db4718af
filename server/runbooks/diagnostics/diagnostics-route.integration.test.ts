/**
 * The diagnostics route end to end on the server side: the simulator as the cluster, the real
 * watch cache and tenant directory, an in-memory database with the simulator's registry imported.
 * A real archive for a tenant whose Odoo was OOM-killed (so it has a previous log), the JSON
 * refusals (role, id, unknown tenant, cluster down) and the audit row written before the bytes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";

import { extract } from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AppSession } from "@/server/auth/session";
import type { PrismaClient } from "@/server/db/client";
import { startSimulator, type Simulator } from "@/scripts/lib/stack";
import { sessionCookieFor } from "@/scripts/test-support/session-cookie";

let sim: Simulator;
let workDir: string;
let db: PrismaClient;
let tenant: { id: string; databaseName: string };
let sessions: Record<"operator" | "viewer" | "pm", AppSession>;
let modules: {
  route: typeof import("@/app/api/tenants/[id]/diagnostics/route");
  sessionToken: typeof import("@/server/auth/session-token");
  runtime: typeof import("@/server/runtime");
};

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "fleetdeck-diagnostics-"));
  sim = await startSimulator({ dataDir: path.join(workDir, "sim"), tenants: 3, scenario: "healthy", seed: 5, quiet: true });
  // server/env.ts reads these on import, so the portal modules load only now.
  Object.assign(process.env, {
    KUBECONFIG: sim.kubeconfig,
    DATABASE_URL: "memory://",
    FLEETDECK_DATA_DIR: path.join(workDir, "data"),
    NEXTAUTH_SECRET: "integration-test-secret-0123456789abcdef",
    DIAGNOSTICS_MAX_MIB: "4",
  });
  const { runtime } = await import("@/server/runtime");
  db = runtime().db;
  await runtime().migrateDb();
  const { importRegistry } = await import("@/server/tenants/registry-import");
  const rows = (await sim.control("GET", "/_sim/registry")) as { id: string; database_name: string }[];
  const imported = await importRegistry(db, JSON.stringify(rows), "json", { cluster: "default", actor: { name: "test@local" } });
  expect(imported.problems).toEqual([]);
  tenant = { id: rows[0].id, databaseName: rows[0].database_name };
  const makeUser = async (role: "operator" | "viewer" | "pm"): Promise<AppSession> => {
    const user = await db.user.create({ data: { email: `${role}@test.local`, name: `The ${role}`, role } });
    return { user: { id: user.id, email: user.email, name: user.name, role } };
  };
  sessions = { operator: await makeUser("operator"), viewer: await makeUser("viewer"), pm: await makeUser("pm") };
  modules = {
    route: await import("@/app/api/tenants/[id]/diagnostics/route"),
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

async function download(id: string, role: keyof typeof sessions | null = "operator", headers: Record<string, string> = {}): Promise<Response> {
  const cookie: Record<string, string> = role ? { cookie: await cookieFor(sessions[role]) } : {};
  return modules.route.GET(new Request(`http://portal.test/api/tenants/${id}/diagnostics`, { headers: { ...cookie, ...headers } }), {
    params: Promise.resolve({ id }),
  });
}

async function untar(body: ReadableStream<Uint8Array>): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const reader = extract();
  const done = new Promise<void>((resolve, reject) => {
    reader.on("entry", (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: unknown) => chunks.push(chunk as Buffer));
      stream.on("end", () => {
        files.set(header.name, Buffer.concat(chunks).toString("utf8"));
        next();
      });
    });
    reader.on("finish", resolve);
    reader.on("error", reject);
  });
  Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>)
    .pipe(createGunzip())
    .pipe(reader);
  await done;
  return files;
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("GET /api/tenants/<id>/diagnostics", () => {
  it("streams a real archive for a tenant, previous logs included, and audits it first", async () => {
    const directory = modules.runtime.runtime().tenants;
    await directory.ready();
    await sim.control("POST", `/_sim/tenants/${tenant.databaseName}/oom`, {});
    // The simulator's kubelet keeps the killed container's log as "previous" once it restarts it after the back-off.
    await waitFor(
      "a restarted Odoo container",
      () => directory.detail(tenant.id)?.pods.find((pod) => pod.restarts > 0 && pod.containers.some((c) => c.name === "odoo" && c.state === "running")),
      60_000,
    );

    const response = await download(tenant.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/gzip");
    expect(response.headers.get("content-disposition")).toMatch(
      new RegExp(`^attachment; filename="diagnostics-${tenant.databaseName}-\\d{8}-\\d{6}\\.tar\\.gz"$`),
    );
    // The audit row is written before the response (and so before any byte of the archive).
    const audit = await db.auditEvent.findFirst({ where: { action: "runbook.diagnostics", targetId: tenant.id } });
    expect(audit).toMatchObject({ targetKind: "tenant", actorEmail: "operator@test.local", outcome: "success" });
    expect(audit?.details).toMatchObject({ databaseName: tenant.databaseName, maxBytes: 4 * 1024 * 1024, objects: { deployments: 1 } });

    const files = await untar(response.body!);
    const names = [...files.keys()];
    expect(names).toEqual(expect.arrayContaining(["README.md", "tenant.json", "describe.txt", "events.txt", "volumes.txt"]));
    expect(names.some((name) => name.startsWith("objects/deployments/"))).toBe(true);
    expect(names.some((name) => name.startsWith("objects/pods/"))).toBe(true);
    expect(names.some((name) => name.startsWith("objects/configmaps/") || name.startsWith("objects/services/"))).toBe(true);
    expect(names.some((name) => /secret/i.test(name))).toBe(false);
    expect(names.some((name) => /^logs\/[^/]+\/odoo\.log$/.test(name))).toBe(true);
    expect(names.some((name) => /^logs\/[^/]+\/odoo\.previous\.log$/.test(name))).toBe(true);
    expect(JSON.parse(files.get("tenant.json")!)).toMatchObject({ id: tenant.id, databaseName: tenant.databaseName });
    const readme = files.get("README.md")!;
    expect(readme).toContain("by The operator <operator@test.local>");
    expect(readme).toContain("Cluster: default");
    // Every kind the archive lists is served (PodDisruptionBudgets and ResourceQuotas included).
    expect(readme).not.toMatch(/does not serve the kind/);
    expect(names.some((name) => name.startsWith("objects/resourcequotas/"))).toBe(true);
    expect(readme.slice(readme.indexOf("## Errors"))).toContain("None: everything listed above was read.");
    expect(files.get("describe.txt")).toMatch(/Last termination: OOMKilled/);
    expect(files.get("events.txt")).toMatch(/^LAST SEEN/);
  }, 90_000);

  it("refuses viewers and PMs with a 403 JSON saying why, and records the denial", async () => {
    for (const role of ["viewer", "pm"] as const) {
      const response = await download(tenant.id, role);
      expect(response.status).toBe(403);
      const body = (await response.json()) as { error: { data: { userMessage: string } } };
      expect(body.error.data.userMessage).toBe(`The ${role} role does not have the runbook:run permission, which collecting diagnostics needs.`);
    }
    expect(await db.auditEvent.count({ where: { action: "route.call", outcome: "denied", targetId: `/api/tenants/${tenant.id}/diagnostics` } })).toBe(2);
    expect((await download(tenant.id, "operator", { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await download(tenant.id, null)).status).toBe(401);
  });

  it("answers a malformed id with 400 and an unknown tenant with 404, as JSON", async () => {
    const bad = await download("not-a-uuid");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/Tenant id must be an instance UUID/);
    const unknown = await download("00000000-0000-4000-8000-000000000000");
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { data: { appCode: string } } }).error.data.appCode).toBe("NOT_FOUND");
  });

  it("answers 503 JSON when the cluster cannot be read, and audits nothing", async () => {
    const before = await db.auditEvent.count({ where: { action: "runbook.diagnostics" } });
    await sim.control("POST", "/_sim/faults", { errorRate: 1, errorStatus: 503 });
    try {
      const response = await download(tenant.id);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { error: { data: { userMessage: string; appCode: string } } };
      expect(body.error.data.appCode).toBe("UNAVAILABLE");
      expect(body.error.data.userMessage).toMatch(/^The tenant's cluster cannot be read right now \(Kubernetes API unavailable \(503\)\)/);
    } finally {
      await sim.control("DELETE", "/_sim/faults");
    }
    expect(await db.auditEvent.count({ where: { action: "runbook.diagnostics" } })).toBe(before);
  });
});

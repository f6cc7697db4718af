/**
 * Two portal processes on one PostgreSQL (issue 15, "Several replicas on one PostgreSQL"): the
 * production build under `next start` twice, on two loopback ports, each with its own data dir and
 * its own watch cache of one simulator, as a Deployment's two pods would run. Everything here goes
 * over HTTP the way a browser's requests do, and the cluster's side is read from the simulator.
 * PostgreSQL only (TEST_DATABASE_URL, as every PostgreSQL suite): PGlite belongs to one process.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunView } from "@/lib/runbooks/run-views";
import type { FleetSummary, TenantDetail, TenantListResult } from "@/lib/tenants/types";
import { LIVE_SESSION_CACHE_MS } from "@/server/auth/live-sessions";
import { DEMO_PASSWORD } from "@/server/auth/demo-accounts";
import { PortalCallError, PortalClient, subscriptionData } from "./lib/portal-client";
import { buildPortalIfStale, prepareDatabase, startPortalReplicas, type Portal } from "./lib/stack";
import { createScratchDatabase, type ScratchDatabase } from "./lib/test-postgres";
import { startSimProcess, waitFor, type RegistryRow, type SimProcess } from "./test-support/sim-process";

const postgresUrl = process.env.TEST_DATABASE_URL?.trim();
if (!postgresUrl) {
  console.warn(
    "[portal-replicas] skipped: two portal processes share a database only on PostgreSQL, and TEST_DATABASE_URL is unset. " +
      'Run `export TEST_DATABASE_URL="$(scripts/start-test-postgres.sh)"` to include it (npm test does).',
  );
}

const TERMINAL = ["succeeded", "failed", "timed-out", "cancelled", "rejected", "interrupted"];

let sim: SimProcess;
let database: ScratchDatabase | undefined;
let portals: Portal[] = [];
const dataDirs: string[] = [];
let registry: RegistryRow[] = [];
/** Replica A and replica B, as a browser would reach either behind a load balancer. */
let a: Portal;
let b: Portal;

async function signedIn(portal: Portal, email: string): Promise<PortalClient> {
  const client = new PortalClient(portal.url);
  await client.signIn(email, DEMO_PASSWORD);
  return client;
}

/** The same browser (its cookies) talking to the other replica. */
function sameBrowserOn(portal: Portal, client: PortalClient): PortalClient {
  return new PortalClient(portal.url, client.cookieJar);
}

/** The tRPC error code of a refused call, or "OK". */
async function outcomeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    if (error instanceof PortalCallError) return error.trpc.code ?? `HTTP ${error.status}`;
    throw error;
  }
}

/** Every watch of the replica's cache listed and every registry row joined: its own watch cache is warm. */
async function warm(client: PortalClient): Promise<void> {
  await waitFor(
    `${client.url} to have a warm cache`,
    async () => {
      const summary = await client.query<FleetSummary>("fleet.summary").catch(() => undefined);
      return summary && summary.total >= registry.length && summary.freshness.filter((feed) => feed.kind !== "volume-stats").every((feed) => feed.synced);
    },
    90_000,
  );
}

interface SimDeployment {
  metadata: { generation: number };
  spec: { replicas: number; template: { metadata?: { annotations?: Record<string, string> } } };
}

/** The tenant's Deployment as the cluster holds it (not as either cache does). */
async function clusterDeployment(detail: TenantDetail): Promise<SimDeployment> {
  const { namespace, name } = detail.deployment!;
  return sim.call<SimDeployment>("GET", `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`);
}

const restartedAt = (deployment: SimDeployment) => deployment.spec.template.metadata?.annotations?.["kubectl.kubernetes.io/restartedAt"];

async function simStats(): Promise<Record<string, number>> {
  return (await sim.call<{ byVerbResource: Record<string, number> }>("GET", "/_sim/stats")).byVerbResource;
}

/** Healthy tenants (of `instanceType`) as replica A lists them, each handed out once. */
const usedTenants = new Set<string>();
async function healthyTenant(client: PortalClient, instanceType?: "production" | "staging" | "trial"): Promise<TenantDetail> {
  const tenant = await waitFor(`a healthy ${instanceType ?? ""} tenant`, async () => {
    const list = await client.query<TenantListResult>("tenants.list", {
      health: ["healthy"],
      ...(instanceType ? { instanceType: [instanceType] } : {}),
      sort: "name",
      pageSize: 100,
    });
    return list.items.find((item) => !usedTenants.has(item.id) && item.desiredReplicas > 0);
  });
  usedTenants.add(tenant.id);
  return client.query<TenantDetail>("tenants.get", { id: tenant.id });
}

async function runEnded(client: PortalClient, runId: string): Promise<RunView> {
  return waitFor(
    `run ${runId} to end`,
    async () => {
      const run = await client.query<RunView>("runbooks.run", { runId });
      return TERMINAL.includes(run.state) ? run : undefined;
    },
    60_000,
  );
}

describe.skipIf(!postgresUrl)("two portal processes on one PostgreSQL", () => {
  beforeAll(async () => {
    // npm test builds before Vitest starts (scripts/run-tests.ts); alone, this builds when stale.
    buildPortalIfStale();
    const workDir = mkdtempSync(path.join(tmpdir(), "fleetdeck-replicas-"));
    dataDirs.push(workDir);
    const kubeconfig = path.join(workDir, "kubeconfig");
    sim = await startSimProcess({ kubeconfigPath: kubeconfig, token: `sim-${randomUUID()}`, tenants: 16, args: ["--scenario", "healthy"] });
    registry = await sim.call<RegistryRow[]>("GET", "/_sim/registry");
    database = await createScratchDatabase(postgresUrl!, "fleetdeck_replicas");
    // One secret for both, as the Helm chart's Secret gives every pod; each replica its own data dir.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: database.url,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      KUBECONFIG: kubeconfig,
      FLEETDECK_DATA_DIR: workDir,
    };
    delete env.NEXTAUTH_URL;
    await prepareDatabase(env, registry);
    portals = await startPortalReplicas(env, 2, {
      envOf: (index) => {
        const dataDir = mkdtempSync(path.join(tmpdir(), `fleetdeck-replica-${index}-`));
        dataDirs.push(dataDir);
        return { FLEETDECK_DATA_DIR: dataDir };
      },
      outputOf: () => ({ quiet: !process.env.FLEETDECK_TEST_VERBOSE }),
    });
    [a, b] = portals;
    const admin = await signedIn(a, "admin@fleetdeck.local");
    await Promise.all([warm(admin), warm(sameBrowserOn(b, admin))]);
  }, 600_000);

  afterAll(async () => {
    await Promise.all(portals.map((portal) => portal.stop()));
    sim?.stop();
    await database?.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("a session signed in on A works on B; revoked on A (Users → Sessions → Revoke), B refuses it within LIVE_SESSION_CACHE_MS", async () => {
    const admin = await signedIn(a, "admin@fleetdeck.local");
    const viewerOnA = await signedIn(a, "viewer@fleetdeck.local");
    const viewerOnB = sameBrowserOn(b, viewerOnA);
    expect((await viewerOnB.query<FleetSummary>("fleet.summary")).total).toBe(registry.length);

    // The admin finds the viewer's session on B's Users page and revokes it on A.
    const users = await sameBrowserOn(b, admin).query<{ id: string; email: string }[]>("users.list");
    const viewer = users.find((user) => user.email === "viewer@fleetdeck.local")!;
    const sessions = await sameBrowserOn(b, admin).query<{ id: string }[]>("users.sessions", { userId: viewer.id });
    expect(sessions).toHaveLength(1);
    // B has just read the session: its cache holds "live" for up to LIVE_SESSION_CACHE_MS from here.
    await viewerOnB.query("fleet.summary");
    await admin.mutation("users.revokeSession", { userId: viewer.id, sessionId: sessions[0].id });
    const revokedAt = Date.now();
    expect(await outcomeOf(viewerOnA.query("fleet.summary"))).toBe("UNAUTHORIZED");

    // Requests to B, one after another: any sent after the bound must be refused, and it must hold.
    const attempts: { sentAt: number; outcome: string }[] = [];
    while (Date.now() - revokedAt < LIVE_SESSION_CACHE_MS + 1_000) {
      const sentAt = Date.now();
      attempts.push({ sentAt, outcome: await outcomeOf(viewerOnB.query("fleet.summary")) });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const afterBound = attempts.filter((attempt) => attempt.sentAt - revokedAt > LIVE_SESSION_CACHE_MS);
    expect(afterBound.length).toBeGreaterThan(0);
    expect(
      afterBound.every((attempt) => attempt.outcome === "UNAUTHORIZED"),
      JSON.stringify(attempts),
    ).toBe(true);
    const firstRefused = attempts.findIndex((attempt) => attempt.outcome !== "OK");
    expect(
      attempts.slice(firstRefused).every((attempt) => attempt.outcome === "UNAUTHORIZED"),
      JSON.stringify(attempts),
    ).toBe(true);
    // The Users page on either replica no longer lists it.
    expect(await admin.query("users.sessions", { userId: viewer.id })).toEqual([]);
  }, 60_000);

  it("a live update stream opened on B (its own watch cache) receives a change made in the cluster, as A's does", async () => {
    const operator = await signedIn(a, "operator@fleetdeck.local");
    const tenant = await healthyTenant(operator);
    const streams = await Promise.all([a, b].map((portal) => sameBrowserOn(portal, operator).subscribe("tenants.onChange", { id: tenant.id })));
    try {
      const detail = (event: Parameters<typeof subscriptionData>[0]) => subscriptionData<TenantDetail>(event);
      for (const stream of streams) expect(await stream.events.waitFor(0, (event) => (detail(event)?.desiredReplicas ?? 0) > 0, 15_000)).toBeDefined();
      const changedAt = performance.now();
      await sim.call("POST", `/_sim/tenants/${encodeURIComponent(tenant.databaseName)}/stop`, {});
      for (const stream of streams) {
        const arrival = await stream.events.waitFor(changedAt, (event) => detail(event)?.desiredReplicas === 0, 10_000);
        expect(arrival, `no update within 10 s${stream.events.error ? `: ${stream.events.error}` : ""}`).toBeDefined();
      }
    } finally {
      for (const stream of streams) stream.close();
      await sim.call("POST", `/_sim/tenants/${encodeURIComponent(tenant.databaseName)}/start`, {});
    }
  }, 60_000);

  it("one runbook confirmed at once on A and B (one key ×16, a second key, a second person) makes exactly one cluster change and one run", async () => {
    const operator = await signedIn(a, "operator@fleetdeck.local");
    const approver = await signedIn(b, "approver@fleetdeck.local");
    const tenant = await healthyTenant(operator);
    const request = { tenantId: tenant.id, runbookId: "restart-instance", input: {} };
    const mine = await operator.mutation<{ planHash: string; canConfirm: boolean }>("runbooks.preview", request);
    const theirs = await approver.mutation<{ planHash: string; canConfirm: boolean }>("runbooks.preview", request);
    expect(mine.canConfirm && theirs.canConfirm).toBe(true);
    const before = await clusterDeployment(tenant);
    // The Runs page open on B, whichever replica the run is confirmed on.
    const runsPageOnB = await sameBrowserOn(b, operator).subscribe("runbooks.onRunsChanged", undefined);
    await sim.call("POST", "/_sim/stats/reset");

    const key = randomUUID();
    const confirmations = [
      // A double-clicking browser whose requests a load balancer spreads over both replicas.
      ...Array.from({ length: 16 }, (_, i) =>
        sameBrowserOn(i % 2 === 0 ? a : b, operator).mutation<RunView>("runbooks.confirm", { ...request, planHash: mine.planHash, idempotencyKey: key }),
      ),
      // The same person in a second tab (a new key), and a second person, each on the other replica.
      sameBrowserOn(b, operator).mutation<RunView>("runbooks.confirm", { ...request, planHash: mine.planHash, idempotencyKey: randomUUID() }),
      approver.mutation<RunView>("runbooks.confirm", { ...request, planHash: theirs.planHash, idempotencyKey: randomUUID() }),
    ];
    const results = await Promise.allSettled(confirmations);
    const runIds = new Set(results.flatMap((result) => (result.status === "fulfilled" ? [result.value.id] : [])));
    const refusals = results.flatMap((result) => (result.status === "rejected" ? [result.reason as PortalCallError] : []));
    expect(runIds.size, JSON.stringify(refusals.map((refusal) => refusal.trpc))).toBe(1);
    for (const refusal of refusals) {
      expect(refusal).toBeInstanceOf(PortalCallError);
      expect(refusal.trpc.code).toBe("CONFLICT");
      // Whoever lost says why: the tenant is leased by the run, its preview was consumed, or (a
      // request that arrived after the restart reached its replica's cache) the Deployment moved on.
      expect(refusal.trpc.message).toMatch(/is running Restart the instance since|already confirmed|changed since the preview|plan is different/);
    }

    const [runId] = runIds;
    const done = await runEnded(sameBrowserOn(b, operator), runId);
    expect(done.state, done.message).toBe("succeeded");
    const changedOnB = await runsPageOnB.events.waitFor(0, (event) => subscriptionData<{ runId: string }>(event)?.runId === runId, 10_000);
    runsPageOnB.close();
    expect(changedOnB, "B's Runs page heard of the run").toBeDefined();
    // The cluster saw one change: one PATCH, one new generation, one restartedAt.
    expect((await simStats())["patch deployments"]).toBe(1);
    const after = await clusterDeployment(tenant);
    expect(after.metadata.generation).toBe(before.metadata.generation + 1);
    expect(restartedAt(after)).toBeDefined();
    expect(restartedAt(after)).not.toBe(restartedAt(before));
    // And the database one run, whichever replica lists it.
    for (const portal of [a, b]) {
      const runs = await sameBrowserOn(portal, operator).query<RunView[]>("runbooks.tenantRuns", { tenantId: tenant.id });
      expect(runs.map((run) => run.id)).toEqual([runId]);
    }
  }, 120_000);

  it("a high-risk run requested on A is approved on B (raced by a second approver on A: one approval), and A's live run view follows it", async () => {
    const operator = await signedIn(a, "operator@fleetdeck.local");
    const tenant = await healthyTenant(operator, "production");
    const request = { tenantId: tenant.id, runbookId: "stop-instance", input: { reason: "replica test" } };
    const preview = await operator.mutation<{ planHash: string; needsApproval: boolean }>("runbooks.preview", request);
    expect(preview.needsApproval).toBe(true);
    const requested = await operator.mutation<RunView>("runbooks.confirm", { ...request, planHash: preview.planHash, idempotencyKey: randomUUID() });
    expect(requested.state).toBe("awaiting-approval");
    const runView = await operator.subscribe("runbooks.onRun", { runId: requested.id });
    try {
      await sim.call("POST", "/_sim/stats/reset");
      const approverOnB = await signedIn(b, "approver@fleetdeck.local");
      const adminOnA = await signedIn(a, "admin@fleetdeck.local");
      const decisions = await Promise.all([
        outcomeOf(approverOnB.mutation("runbooks.approve", { runId: requested.id, comment: "on B" })),
        outcomeOf(adminOnA.mutation("runbooks.approve", { runId: requested.id, comment: "on A" })),
      ]);
      expect(decisions.filter((outcome) => outcome === "OK")).toHaveLength(1);
      expect(decisions.filter((outcome) => outcome !== "OK")).toEqual(["CONFLICT"]);

      const done = await runEnded(operator, requested.id);
      expect(done.state, done.message).toBe("succeeded");
      expect(done.approval?.decision).toBe("approved");
      expect((await simStats())["patch deployments/scale"]).toBe(1);
      expect((await clusterDeployment(tenant)).spec.replicas).toBe(0);
      // The requester's run page on A saw the approval and the end, made on whichever replica won.
      const seen = await runView.events.waitFor(0, (event) => subscriptionData<RunView>(event)?.state === "succeeded", 10_000);
      expect(seen).toBeDefined();
    } finally {
      runView.close();
    }
  }, 120_000);

  it("a tenant imported through A's Registry page is known to B within seconds, not at B's next full registry refresh (60 s)", async () => {
    const admin = await signedIn(a, "admin@fleetdeck.local");
    const template = registry[0];
    const imported = { ...template, id: randomUUID(), name: "Replica Import Test", database_name: `replica-import-${Date.now().toString(36)}` };
    const onB = sameBrowserOn(b, admin);
    expect(await outcomeOf(onB.query("tenants.get", { id: imported.id }))).toBe("NOT_FOUND");
    const result = await admin.mutation<{ created: number; problemCount: number }>("registry.import", { text: JSON.stringify([imported]), format: "json" });
    expect(result).toMatchObject({ created: 1, problemCount: 0 });
    const importedAt = Date.now();
    const detail = await waitFor(
      "B to know the imported tenant",
      () => onB.query<TenantDetail>("tenants.get", { id: imported.id }).catch(() => undefined),
      10_000,
    );
    expect(detail.databaseName).toBe(imported.database_name);
    // TenantDirectory's registryCheckMs (2 s) plus a reload; the full refresh would take up to 60 s.
    expect(Date.now() - importedAt).toBeLessThan(5_000);
  }, 60_000);

  it("sign-in failures on A count on B: after four wrong passwords on A, B refuses even the right one for a while", async () => {
    const email = "pm@fleetdeck.local";
    for (let i = 0; i < 4; i++)
      expect(await new PortalClient(a.url).trySignIn(email, `wrong-password-${i}`)).toEqual({ ok: false, error: "CredentialsSignin" });
    const onB = await new PortalClient(b.url).trySignIn(email, DEMO_PASSWORD);
    expect(onB).toMatchObject({ ok: false, error: expect.stringMatching(/^RATE_LIMITED:\d+$/) });
    // Another email from the same address is not locked out by it.
    expect(await new PortalClient(b.url).trySignIn("viewer@fleetdeck.local", DEMO_PASSWORD)).toEqual({ ok: true });
  }, 60_000);
});

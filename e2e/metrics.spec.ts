import { expect, signIn, test } from "./support/fixtures";

// /metrics as Prometheus scrapes it: a bearer token (METRICS_TOKEN, set by global-setup), no session.
const token = process.env.METRICS_TOKEN ?? "e2e-metrics-token-0123456789";

/** The value of one sample line, e.g. `fleetdeck_cache_objects{cluster="default",kind="pods"} 40`. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.lastIndexOf("}"));
    if (Object.entries(labels).every(([key, value]) => body.includes(`${key}="${value}"`))) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}

test("[METRICS] Prometheus scrapes /metrics with the token: procedures, the watch cache, the Kubernetes API, runs and sessions", async ({ page, request }) => {
  // Some traffic first: a signed-in tenants list.
  await signIn(page, "viewer");
  await page.goto("/tenants");
  await expect(page.getByTestId("tenants-table")).toBeVisible();

  // Each answer names its request id (kept from a proxy when it sent one), the id its audit rows and log lines carry.
  const list = `/api/trpc/tenants.list?input=${encodeURIComponent(JSON.stringify({ json: { pageSize: 5 } }))}`;
  expect((await page.request.get(list)).headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  expect((await page.request.get(list, { headers: { "x-request-id": "e2e-request-0001" } })).headers()["x-request-id"]).toBe("e2e-request-0001");

  const refused = await request.get("/metrics");
  expect(refused.status()).toBe(401);
  expect(await refused.text()).toContain("Authorization: Bearer");
  expect((await request.get("/metrics", { headers: { authorization: "Bearer wrong-token-wrong-token" } })).status()).toBe(401);

  const scraped = await request.get("/metrics", { headers: { authorization: `Bearer ${token}` } });
  expect(scraped.status()).toBe(200);
  expect(scraped.headers()["content-type"]).toContain("text/plain");
  const text = await scraped.text();
  expect(sample(text, "fleetdeck_trpc_request_duration_seconds_count", { procedure: "tenants.list", type: "query", code: "OK" })).toBeGreaterThan(0);
  expect(sample(text, "fleetdeck_cache_objects", { cluster: "default", kind: "deployments" })).toBeGreaterThanOrEqual(30);
  expect(sample(text, "fleetdeck_cache_synced", { cluster: "default", kind: "pods" })).toBe(1);
  expect(sample(text, "fleetdeck_kube_api_requests_total", { verb: "watch", code: "200" })).toBeGreaterThan(0);
  expect(Number(/^fleetdeck_sessions_active (\d+)/m.exec(text)?.[1])).toBeGreaterThan(0);
  expect(text).toContain("# TYPE fleetdeck_runbook_runs gauge");
  expect(text).toContain("# TYPE fleetdeck_watch_events_total counter");
  expect(text).toContain("fleetdeck_process_resident_memory_bytes");
});

test("[HEALTH] the readiness probe says ready once the database answers and the watch cache is warm", async ({ request }) => {
  const ready = await request.get("/api/health/ready");
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toEqual({ status: "ready" });
  expect((await request.get("/api/health")).status()).toBe(200);
});

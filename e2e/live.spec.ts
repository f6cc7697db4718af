import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Locator, Page } from "@playwright/test";

import { freePort, prepareDatabase, repoRoot, startPortal, startSimulator, type Portal, type Simulator } from "../scripts/lib/stack";
import { demoAccount, demoPassword, expect, signIn, test } from "./support/fixtures";
import { readStack } from "./support/stack-file";

// "Live" means live: every live page says "Reconnecting…" (with the age of what it shows) once the
// browser loses its stream, and "Live" again once the stream is back.

/** The demo scenario's tenant whose pod runs and logs steadily (sim/fleet/scenarios.ts). */
const RUNNING = "atlas-archives";

async function offlineThenBack(context: BrowserContext, status: Locator) {
  await context.setOffline(true);
  // The browser's offline event is enough: no waiting out a timeout.
  await expect(status).toHaveAttribute("data-state", "reconnecting", { timeout: 3_000 });
  await expect(status).toContainText("Reconnecting…");
  await expect(status).toContainText("offline");
  await expect(status.getByTestId("live-data-age")).toHaveText(/^data from \d\d:\d\d, \d+ s ago$/);
  await context.setOffline(false);
  await expect(status).toHaveAttribute("data-state", "live", { timeout: 20_000 });
}

test("[LIVE] the fleet overview says Reconnecting… when the browser goes offline and Live again when it is back", async ({ page, context }) => {
  await signIn(page, "viewer");
  const freshness = page.getByTestId("cache-freshness");
  await expect(freshness).toHaveAttribute("data-state", "live");
  await expect(freshness).toContainText(/^Live · updated/);
  await offlineThenBack(context, freshness);
  await expect(freshness).toContainText(/^Live · updated/);
});

test("[LIVE] the tenant page says Reconnecting… when the browser goes offline and Live again when it is back", async ({ page, context }) => {
  await signIn(page, "viewer");
  await page.goto(`/tenants?q=${RUNNING}`);
  await page.getByTestId(`tenant-row-${RUNNING}`).getByRole("link").first().click();
  const status = page.getByTestId("tenant-live-status");
  await expect(status).toHaveAttribute("data-state", "live");
  await offlineThenBack(context, status);
  await expect(status).toHaveText("Live: this page follows the cluster.");
});

test("[LIVE] the log viewer says Reconnecting… when the browser goes offline and Live again when it is back", async ({ page, context }) => {
  await signIn(page, "operator");
  await page.goto(`/tenants?q=${RUNNING}`);
  await page.getByTestId(`tenant-row-${RUNNING}`).getByRole("link").first().click();
  await page.getByTestId("tenant-logs-link").click();
  const status = page.getByTestId("log-status");
  await expect(status).toHaveAttribute("data-state", "live", { timeout: 20_000 });
  await offlineThenBack(context, status);
  await expect(status).toContainText("Live");
});

// A silent watch needs a stalled simulator, and stalling the shared one would hold back every
// other spec's live updates: this one gets its own simulator (bookmarks every 2 s) and portal
// (a watch silent for 4 s is stale), reusing the bundle global setup built.
const sharedStack = readStack();
const BOOKMARK_INTERVAL_SECONDS = 2;
const SILENCE_SECONDS = 2 * BOOKMARK_INTERVAL_SECONDS;

test.describe("a silent watch", () => {
  test.skip(!sharedStack, "needs the simulator's control API (not run against an external portal)");

  let simulator: Simulator | undefined;
  let portal: Portal | undefined;
  let dataDir: string | undefined;

  async function stopStack() {
    await portal?.stop();
    await simulator?.stop();
    portal = simulator = undefined;
    if (dataDir && !process.env.E2E_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  }

  test.beforeAll(async () => {
    // A simulator, the database and `next start` take longer than one test's budget.
    test.setTimeout(180_000);
    try {
      dataDir = join(repoRoot, ".data", `e2e-live-${process.pid}`);
      rmSync(dataDir, { recursive: true, force: true });
      mkdirSync(dataDir, { recursive: true });
      simulator = await startSimulator({ dataDir, tenants: 8, scenario: "healthy", quiet: true, bookmarkIntervalSeconds: BOOKMARK_INTERVAL_SECONDS });
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        FLEETDECK_DATA_DIR: dataDir,
        KUBECONFIG: simulator.kubeconfig,
        FLEETDECK_DEMO: "1",
        WATCH_SILENCE_TIMEOUT_SECONDS: String(SILENCE_SECONDS),
      };
      delete env.DATABASE_URL;
      delete env.NEXTAUTH_URL;
      await prepareDatabase(env, simulator);
      portal = await startPortal(env, await freePort(), "127.0.0.1", { quiet: !process.env.E2E_VERBOSE });
    } catch (error) {
      await stopStack();
      throw error;
    }
  });

  test.afterAll(stopStack);

  async function signInHere(page: Page) {
    await page.goto(`${portal!.url}/sign-in`);
    await page.getByLabel("Email").fill(demoAccount("viewer"));
    await page.getByLabel("Password").fill(demoPassword);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(`${portal!.url}/`);
  }

  test("[LIVE] while a watch is silent an admin's Diagnostics page shows the connection and the full error; a viewer may not open it", async ({
    page,
    browser,
  }) => {
    await page.goto(`${portal!.url}/sign-in`);
    await page.getByLabel("Email").fill(demoAccount("admin"));
    await page.getByLabel("Password").fill(demoPassword);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(`${portal!.url}/`);
    await page.getByTestId("nav-diagnostics").click();
    await expect(page.getByRole("heading", { level: 1, name: "Diagnostics" })).toBeVisible();
    const cluster = page.getByTestId("cluster-diagnostics");
    await expect(cluster).toContainText(new URL(simulator!.url).host);
    const deployments = cluster.getByTestId("feed-deployments");
    await expect(deployments).toHaveAttribute("data-stale", "false", { timeout: 20_000 });
    await simulator!.control("POST", "/_sim/watches/stall", { seconds: 3 * SILENCE_SECONDS, requests: true });
    await expect(deployments).toHaveAttribute("data-stale", "true", { timeout: (2 * SILENCE_SECONDS + 8) * 1000 });
    await expect(deployments).toContainText(/No event or bookmark for \d+ s, so the watch was restarted \(\/apis\/apps\/v1\/deployments/);
    await expect(deployments).toHaveAttribute("data-stale", "false", { timeout: 30_000 });

    const viewerContext = await browser.newContext();
    const viewer = await viewerContext.newPage();
    await signInHere(viewer);
    await expect(viewer.getByTestId("nav-diagnostics")).toHaveCount(0);
    await viewer.goto(`${portal!.url}/diagnostics`);
    await expect(viewer.getByTestId("access-denied")).toBeVisible();
    await viewerContext.close();
  });

  test("[LIVE] a silent watch turns the banner stale and recovers", async ({ page }) => {
    const [tenant] = (await simulator!.control("GET", "/_sim/registry")) as { database_name: string }[];
    await signInHere(page);
    const freshness = page.getByTestId("cache-freshness");
    const stopped = page.getByTestId("health-tile-stopped");
    await expect(freshness).toHaveAttribute("data-state", "live", { timeout: 20_000 });
    await expect(stopped).toHaveAttribute("aria-label", /^0 stopped tenants/);

    // The server hangs: every watch stays open and says nothing, and no request is answered; a
    // tenant is stopped meanwhile (through the simulator's control API, which still answers).
    await simulator!.control("POST", "/_sim/watches/stall", { seconds: 5 * SILENCE_SECONDS, requests: true });
    await simulator!.control("POST", `/_sim/tenants/${tenant.database_name}/stop`, {});

    await expect(freshness).toHaveAttribute("data-state", "stale", { timeout: (2 * SILENCE_SECONDS + 4) * 1000 });
    await expect(freshness).toContainText("Cluster data is stale since");
    await expect(freshness).toContainText(/Watch(es)? for [a-z, ]*deployments[a-z, ]* (is|are) reconnecting \(stale since \d\d:\d\d\)/);
    await expect(freshness).toContainText(`No event or bookmark for ${SILENCE_SECONDS} s, so the watch was restarted`);
    await expect(stopped).toHaveAttribute("aria-label", /^0 stopped tenants/);

    // The stall ends: the restarted watches deliver what was held back, and the page follows.
    await expect(freshness).toHaveAttribute("data-state", "live", { timeout: 30_000 });
    await expect(stopped).toHaveAttribute("aria-label", /^1 stopped tenants/, { timeout: 10_000 });
  });
});

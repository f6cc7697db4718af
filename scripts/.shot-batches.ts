import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import { buildPortalIfStale, freePort, prepareDatabase, repoRoot, startPortal, startSimulator } from "./lib/stack";

const dataDir = join(repoRoot, ".data", `shots-${process.pid}`);
async function main() {
  rmSync(dataDir, { recursive: true, force: true });
  const simulator = await startSimulator({ dataDir, tenants: 40, scenario: "demo", quiet: true });
  const env: NodeJS.ProcessEnv = { ...process.env, FLEETDECK_DATA_DIR: dataDir, KUBECONFIG: simulator.kubeconfig, FLEETDECK_DEMO: "1" };
  delete env.DATABASE_URL;
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  await prepareDatabase(env, simulator);
  buildPortalIfStale();
  const portal = await startPortal(env, await freePort(), "127.0.0.1", { quiet: true });
  try {
    for (const [w, tag] of [
      [1440, "wide"],
      [390, "narrow"],
    ] as const) {
      const page = await browser.newPage({ viewport: { width: w, height: 900 }, baseURL: portal.url });
      await page.goto("/sign-in");
      await page.getByLabel("Email").fill("operator@fleetdeck.local");
      await page.getByLabel("Password").fill("fleetdeck-demo");
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
      await page.goto("/tenants?instanceType=development");
      await page.getByTestId("run-over-selection").click();
      await page.getByTestId("batch-runbook").selectOption("start-instance");
      await page.getByTestId("batch-preview-summary").waitFor();
      await page.waitForTimeout(500);
      await page.screenshot({ path: `/tmp/shots/dialog-${tag}.png` });
      await page.getByTestId("batch-runbook").selectOption("verify-instance");
      await page.waitForTimeout(800);
      await page.getByTestId("batch-create").click();
      await page.waitForURL(/\/runs\/batches\//);
      await page.waitForTimeout(2500);
      await page.screenshot({ path: `/tmp/shots/batch-${tag}.png`, fullPage: true });
      await page.goto("/runs");
      await page.waitForTimeout(1500);
      await page.screenshot({ path: `/tmp/shots/runs-${tag}.png` });
      await page.close();
    }
  } finally {
    await browser.close();
    portal.stop();
    simulator.stop();
  }
}
main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);

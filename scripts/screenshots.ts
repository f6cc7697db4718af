// Regenerates the README's screenshots: a fresh demo stack on free ports, signed in as an admin,
// headless Debian Chromium at 1440x900 (and the dark theme and a phone for two of them).
// `npx tsx scripts/screenshots.ts`
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./lib/chromium";
import { buildPortalIfStale, freePort, prepareDatabase, repoRoot, startPortal, startSimulator } from "./lib/stack";

const outDir = join(repoRoot, "public/screenshots");
const dataDir = join(repoRoot, ".data", `screenshots-${process.pid}`);

async function main() {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const simulator = await startSimulator({ dataDir, tenants: 40, scenario: "demo", quiet: true });
  const env: NodeJS.ProcessEnv = { ...process.env, FLEETDECK_DATA_DIR: dataDir, KUBECONFIG: simulator.kubeconfig, FLEETDECK_DEMO: "1" };
  delete env.DATABASE_URL;
  let portal: Awaited<ReturnType<typeof startPortal>> | undefined;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    await prepareDatabase(env, simulator);
    buildPortalIfStale();
    portal = await startPortal(env, await freePort(), "127.0.0.1", { quiet: true });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, baseURL: portal.url });
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill("admin@fleetdeck.local");
    await page.getByLabel("Password").fill("fleetdeck-demo");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByTestId("fleet-health-chart").waitFor();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(outDir, "fleet-overview.png") });
    await page.goto("/tenants?problem=crash-loop");
    await page.getByTestId("tenants-table").locator("tbody tr").first().getByRole("link").first().click();
    await page.getByTestId("pods-table").waitFor();
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(outDir, "tenant.png") });
    // The crash-looping pod's log, previous container: the traceback an operator comes for.
    await page
      .getByTestId("pods-table")
      .getByRole("link", { name: /^Logs of / })
      .first()
      .click();
    await page.getByRole("checkbox", { name: "Previous container" }).check();
    await page.getByRole("log", { name: "Log lines" }).getByText("Traceback").first().waitFor();
    await page.screenshot({ path: join(outDir, "logs.png") });
    const tenantPath = new URL(page.url()).pathname.replace(/\/logs$/, "");
    await page.goto("/tenants");
    await page.getByTestId("tenants-table").waitFor();
    await page.screenshot({ path: join(outDir, "tenants.png") });
    // The same session in the dark theme (chosen in the header), then at phone width.
    await page.getByRole("combobox", { name: "Theme" }).selectOption("dark");
    await page.goto("/");
    await page.getByTestId("fleet-health-chart").waitFor();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(outDir, "fleet-overview-dark.png") });
    await page.getByRole("combobox", { name: "Theme" }).selectOption("light");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(tenantPath);
    await page.getByTestId("pods-table").waitFor();
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(outDir, "tenant-phone.png") });
    await page.getByRole("button", { name: "Menu" }).click();
    await page.screenshot({ path: join(outDir, "menu-phone.png") });
    console.log(`screenshots written to public/screenshots/`);
  } finally {
    await browser.close();
    await portal?.stop();
    await simulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

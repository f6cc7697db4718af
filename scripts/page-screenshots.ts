// Screenshots of every main page in both themes, at desktop and phone width, for checking a layout
// or colour change by eye: a fresh demo stack on free ports (or FLEETDECK_URL, a running portal),
// signed in as an admin, headless Debian Chromium. Writes test-results/pages/<page>-<theme>-<width>.png.
// `npx tsx scripts/page-screenshots.ts [--width=390] [--theme=dark] [--only=tenants,logs]`
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./lib/chromium";
import { buildPortalIfStale, freePort, prepareDatabase, repoRoot, startPortal, startSimulator } from "./lib/stack";

const outDir = join(repoRoot, "test-results/pages");
const dataDir = join(repoRoot, ".data", `page-screenshots-${process.pid}`);

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const widths = (arg("width") ?? "1440,390").split(",").map(Number);
const themes = (arg("theme") ?? "light,dark").split(",") as ("light" | "dark")[];
const only = arg("only")?.split(",");
/** Also cut each page into viewport-high pieces (<name>-<theme>-<width>-<n>.png), readable at phone width. */
const pieces = process.argv.includes("--pieces");

/** A demo tenant that crash-loops (sim/fleet/scenarios.ts): its page and logs have the most to show. */
const CRASH_LOOPING = "brightpath-logistics";

async function tenantPath(page: Page): Promise<string> {
  await page.goto(`/tenants?q=${CRASH_LOOPING}`);
  const href = await page.getByTestId(`tenant-row-${CRASH_LOOPING}`).getByRole("link").first().getAttribute("href");
  if (!href) throw new Error(`no row for ${CRASH_LOOPING}`);
  return href;
}

/** The outermost elements that stick out of the viewport, unclipped, while their parent does not: what makes a page scroll sideways. */
function widerThanTheirParent(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    const culprits: string[] = [];
    for (const element of document.body.querySelectorAll<HTMLElement>("*")) {
      const parent = element.parentElement;
      if (!parent || element.getBoundingClientRect().right <= limit + 0.5) continue;
      if (parent !== document.body && parent.getBoundingClientRect().right > limit + 0.5 && getComputedStyle(element).position !== "absolute") continue;
      // Content that scrolls inside its own box (a table's frame, the log lines) is fine.
      let clipped = false;
      for (let ancestor: HTMLElement | null = parent; ancestor && ancestor !== document.body; ancestor = ancestor.parentElement) {
        if (getComputedStyle(ancestor).overflowX !== "visible" && ancestor.getBoundingClientRect().right <= limit + 0.5) clipped = true;
      }
      // An absolutely positioned element (an sr-only label) escapes a scroller that is not its containing block.
      if (clipped && getComputedStyle(element).position !== "absolute") continue;
      const testId = element.closest("[data-testid]")?.getAttribute("data-testid");
      culprits.push(
        `${element.tagName.toLowerCase()}.${String(element.className).slice(0, 80)} in ${testId ?? "?"}: ${Math.round(element.getBoundingClientRect().right)} px`,
      );
    }
    return culprits.slice(0, 8);
  });
}

/** The first orphan workload the overview lists (the demo plants one). */
async function orphanPath(page: Page): Promise<string> {
  await page.goto("/");
  const href = await page.getByRole("region", { name: "Orphan workloads" }).getByRole("link").first().getAttribute("href");
  return href ?? "/orphans/00000000-0000-4000-8000-000000000000";
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  let url = process.env.FLEETDECK_URL;
  let stop = async () => {};
  if (!url) {
    rmSync(dataDir, { recursive: true, force: true });
    const simulator = await startSimulator({ dataDir, tenants: 40, scenario: "demo", quiet: true });
    const env: NodeJS.ProcessEnv = { ...process.env, FLEETDECK_DATA_DIR: dataDir, KUBECONFIG: simulator.kubeconfig, FLEETDECK_DEMO: "1" };
    delete env.DATABASE_URL;
    await prepareDatabase(env, simulator);
    buildPortalIfStale();
    const portal = await startPortal(env, await freePort(), "127.0.0.1", { quiet: true });
    url = portal.url;
    stop = async () => {
      await portal.stop();
      await simulator.stop();
      rmSync(dataDir, { recursive: true, force: true });
    };
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    for (const theme of themes) {
      for (const width of widths) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, baseURL: url, colorScheme: theme });
        const page = await context.newPage();
        await page.goto("/sign-in");
        await page.screenshot({ path: join(outDir, `sign-in-${theme}-${width}.png`), fullPage: true });
        await page.getByLabel("Email").fill("admin@fleetdeck.local");
        await page.getByLabel("Password").fill("fleetdeck-demo");
        await page.getByRole("button", { name: "Sign in", exact: true }).click();
        await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
        const tenant = await tenantPath(page);
        const orphan = await orphanPath(page);
        const pages: [string, string][] = [
          ["fleet", "/"],
          ["tenants", "/tenants"],
          ["tenant", tenant],
          ["logs", `${tenant}/logs`],
          ["orphan", orphan],
          ["runs", "/runs"],
          ["migration", "/migration"],
          ["waves", "/migration/waves"],
          ["gates", "/migration/gates"],
          ["audit", "/audit"],
          ["users", "/users"],
          ["registry", "/registry"],
          ["tokens", "/tokens"],
          ["diagnostics", "/diagnostics"],
          ["not-found", "/no-such-page"],
        ];
        for (const [name, path] of pages) {
          if (only && !only.includes(name)) continue;
          await page.goto(path);
          // Live pages never go network-idle (their streams stay open): give them a moment to render.
          await page.waitForLoadState("load");
          await page.waitForTimeout(1500);
          const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
          const file = `${name}-${theme}-${width}.png`;
          await page.screenshot({ path: join(outDir, file), fullPage: true });
          if (pieces) {
            const height = await page.evaluate(() => document.documentElement.scrollHeight);
            for (let top = 0, n = 1; top < height; top += 900, n++) {
              await page.screenshot({
                path: join(outDir, file.replace(/\.png$/, `-${n}.png`)),
                fullPage: true,
                clip: { x: 0, y: top, width, height: Math.min(900, height - top) },
              });
            }
          }
          console.log(`${file}${scrollWidth > width ? `  (page scrolls sideways: ${scrollWidth} px)` : ""}`);
          if (scrollWidth > width) for (const culprit of await widerThanTheirParent(page)) console.log(`    ${culprit}`);
        }
        if (width < 768 && (!only || only.includes("menu"))) {
          await page.goto("/tenants");
          await page.getByRole("button", { name: "Menu" }).click();
          await page.screenshot({ path: join(outDir, `menu-${theme}-${width}.png`) });
          console.log(`menu-${theme}-${width}.png`);
        }
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

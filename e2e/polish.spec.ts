import type { Page } from "@playwright/test";

import { expect, signIn, test } from "./support/fixtures";

// The polish of issue 14: dark mode, phone width, tab titles, favicon and the 404 page.

/** The body's background as sRGB lightness 0..255, whatever colour syntax the browser reports. */
async function bodyLightness(page: Page): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 1;
    const context = canvas.getContext("2d")!;
    context.fillStyle = getComputedStyle(document.body).backgroundColor;
    context.fillRect(0, 0, 1, 1);
    const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
    return (r + g + b) / 3;
  });
}

/** CSP refusals are reported on the console: an inline script without the nonce would be one. */
function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|apply)/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test.describe("dark mode", () => {
  test("[POLISH] the page follows the system's dark setting from the first paint", async ({ browser }) => {
    const dark = await browser.newContext({ colorScheme: "dark" });
    const light = await browser.newContext({ colorScheme: "light" });
    try {
      const darkPage = await dark.newPage();
      const violations = cspViolations(darkPage);
      await signIn(darkPage, "viewer");
      await expect(darkPage.locator("html")).toHaveClass(/\bdark\b/);
      expect(await bodyLightness(darkPage)).toBeLessThan(60);
      // The theme is set by the inline script before the page is drawn, not after hydration.
      const html = await (await darkPage.request.get("/")).text();
      const themeScript = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].find(([, , body]) => body.includes("fleetdeck-theme"));
      expect(themeScript, "the theme script is in the server's HTML").toBeDefined();
      expect(themeScript![1], "and carries the request's nonce").toMatch(/nonce="[^"]+"/);
      expect(violations).toEqual([]);

      const lightPage = await light.newPage();
      await signIn(lightPage, "viewer");
      await expect(lightPage.locator("html")).not.toHaveClass(/\bdark\b/);
      expect(await bodyLightness(lightPage)).toBeGreaterThan(200);
    } finally {
      await dark.close();
      await light.close();
    }
  });

  test("[POLISH] the theme choice in the header overrides the system and survives a reload", async ({ page }) => {
    await page.emulateMedia({ colorScheme: "light" });
    await signIn(page, "operator");
    const theme = page.getByRole("combobox", { name: "Theme" });
    await expect(theme).toHaveValue("system");
    const lightBackground = await bodyLightness(page);
    expect(lightBackground).toBeGreaterThan(200);

    await theme.selectOption("dark");
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
    expect(await bodyLightness(page)).toBeLessThan(60);

    await page.reload();
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
    await expect(page.getByRole("combobox", { name: "Theme" })).toHaveValue("dark");
    expect(await bodyLightness(page)).toBeLessThan(60);

    // Light chosen explicitly wins over a dark system.
    await page.emulateMedia({ colorScheme: "dark" });
    await page.getByRole("combobox", { name: "Theme" }).selectOption("light");
    await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
    await page.getByRole("combobox", { name: "Theme" }).selectOption("system");
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  });

  test("[POLISH] charts draw their axes in the theme's colours", async ({ page }) => {
    await page.emulateMedia({ colorScheme: "dark" });
    await signIn(page, "admin");
    const tick = page.getByTestId("fleet-health-chart").locator(".recharts-cartesian-axis-tick-value").first();
    await expect(tick).toBeVisible();
    const tickLightness = () =>
      tick.evaluate((element) => {
        const canvas = document.createElement("canvas");
        canvas.width = canvas.height = 1;
        const context = canvas.getContext("2d")!;
        context.fillStyle = getComputedStyle(element).fill;
        context.fillRect(0, 0, 1, 1);
        const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
        return (r + g + b) / 3;
      });
    // Polled: the chart may draw its first frame before the theme's variables reach it.
    await expect.poll(tickLightness, { message: "light ticks on the dark page" }).toBeGreaterThan(120);
    await page.emulateMedia({ colorScheme: "light" });
    await expect.poll(tickLightness, { message: "dark ticks on the light page" }).toBeLessThan(120);
  });
});

/** A demo tenant that crash-loops (sim/fleet/scenarios.ts); tenant.spec heals another one. */
const CRASH_LOOPING = "brightpath-logistics";

async function tenantPathOf(page: Page, databaseName: string): Promise<string> {
  await page.goto(`/tenants?q=${databaseName}`);
  const href = await page.getByTestId(`tenant-row-${databaseName}`).getByRole("link").first().getAttribute("href");
  expect(href).toMatch(/^\/tenants\/[0-9a-f-]{36}$/);
  return href!;
}

/** Waits for hydration: client-only parts (charts, live lists) render then and could widen the page. */
async function settled(page: Page) {
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  await page.waitForFunction(() => document.querySelector("next-route-announcer") !== null);
}

test.describe("phone width", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("[POLISH] no page scrolls sideways at 390 px", async ({ page }) => {
    test.setTimeout(120_000);
    await signIn(page, "admin");
    const tenant = await tenantPathOf(page, CRASH_LOOPING);
    const pages: [string, () => Promise<void>][] = [
      ["/", () => expect(page.getByTestId("fleet-health-chart")).toBeVisible()],
      ["/tenants", () => expect(page.getByTestId("tenants-table").locator("tbody tr").first()).toBeVisible()],
      [tenant, () => expect(page.getByTestId("pods-table")).toBeVisible()],
      [`${tenant}/logs`, () => expect(page.getByTestId("log-line").first()).toBeVisible({ timeout: 20_000 })],
      ["/runs", () => expect(page.getByTestId("runs-table")).toBeVisible()],
      ["/migration", () => expect(page.getByTestId("migration-burn-up")).toBeVisible()],
      ["/migration/waves", () => expect(page.getByRole("heading", { level: 1, name: "Migration waves" })).toBeVisible()],
      ["/migration/gates", () => expect(page.getByTestId("gates-panel")).toBeVisible()],
      ["/audit", () => expect(page.getByTestId("audit-row").first()).toBeVisible()],
      ["/users", () => expect(page.getByTestId("user-row-admin@fleetdeck.local")).toBeVisible()],
      ["/registry", () => expect(page.getByRole("heading", { level: 1 })).toBeVisible()],
      ["/tokens", () => expect(page.getByTestId("create-token-form")).toBeVisible()],
      ["/diagnostics", () => expect(page.getByRole("heading", { level: 1 })).toBeVisible()],
    ];
    const tooWide: string[] = [];
    for (const [path, loaded] of pages) {
      await page.goto(path);
      await settled(page);
      await loaded();
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      if (scrollWidth > 390) tooWide.push(`${path}: ${scrollWidth} px`);
    }
    expect(tooWide, "pages wider than the phone").toEqual([]);
  });

  test("[POLISH] the menu button opens the navigation and the account; Sign out is reachable", async ({ page }) => {
    await signIn(page, "operator");
    await settled(page);
    const menu = page.getByRole("button", { name: "Menu" });
    const signOut = page.getByRole("button", { name: "Sign out", exact: true });
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(signOut).toBeHidden();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();

    await menu.click();
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    await expect(page.getByRole("combobox", { name: "Theme" })).toBeVisible();
    // Following a link closes the menu on the new page.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tenants" }).click();
    await expect(page).toHaveURL(/\/tenants$/);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();

    await menu.click();
    await page.keyboard.press("Escape");
    await expect(signOut).toBeHidden();

    await menu.click();
    await expect(signOut).toBeInViewport();
    await signOut.click();
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("[POLISH] log lines wrap on a phone", async ({ page }) => {
    await signIn(page, "operator");
    const tenant = await tenantPathOf(page, CRASH_LOOPING);
    await page.goto(`${tenant}/logs`);
    const line = page.getByTestId("log-line").first();
    await expect(line).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole("checkbox", { name: "Wrap lines" })).toBeChecked();
    await expect(page.getByRole("checkbox", { name: "Wrap lines" })).toBeDisabled();
    const box = await line.boundingBox();
    expect(box!.width, "a line is no wider than the log pane").toBeLessThanOrEqual(390);
  });
});

test.describe("tab titles", () => {
  /** A healthy demo tenant no other spec touches: this one crashes and heals it. */
  const HEALTHY = "cobalt-labs";

  test("[POLISH] a tenant's tab names it and follows its health live; its logs tab names the database", async ({ page, cluster }) => {
    test.skip(!cluster, "needs the simulator's control API to crash the tenant");
    await signIn(page, "operator");
    const tenant = await tenantPathOf(page, HEALTHY);
    await page.goto(tenant);
    const name = (await page.getByRole("heading", { level: 1 }).textContent())!.trim();
    expect(name).toMatch(new RegExp(`^odoo-${HEALTHY}-[0-9a-f]{8}$`));
    await expect(page).toHaveTitle(`${name} · Healthy · Fleetdeck`);
    try {
      await cluster!.tenantAction(HEALTHY, "crash");
      // No reload: the live view changes the title.
      await expect(page).toHaveTitle(new RegExp(`^${name} · (Down|Degraded) · Fleetdeck$`), { timeout: 20_000 });
    } finally {
      await cluster!.tenantAction(HEALTHY, "heal");
    }
    await expect(page).toHaveTitle(`${name} · Healthy · Fleetdeck`, { timeout: 20_000 });

    await page.getByRole("link", { name: "Logs", exact: true }).click();
    await expect(page).toHaveTitle(`Logs · ${HEALTHY} · Fleetdeck`);
  });

  test("[POLISH] the fleet tab counts the problems that need attention", async ({ page }) => {
    await signIn(page, "viewer");
    const panel = page.getByRole("region", { name: "Needs attention now" });
    await expect(panel).toBeVisible();
    // Other specs change the fleet meanwhile: the title and the panel must agree, whatever the count.
    await expect
      .poll(async () => {
        const counted = /(\d+) problems?/.exec((await panel.textContent()) ?? "")?.[1];
        return (await page.title()) === `(${counted}) Fleet · Fleetdeck`;
      })
      .toBe(true);
  });

  test("[POLISH] every main page has a title of its own", async ({ page }) => {
    await signIn(page, "admin");
    const titles: [string, string | RegExp][] = [
      ["/tenants", "Tenants · Fleetdeck"],
      ["/runs", "Runs · Fleetdeck"],
      ["/migration", "Migration · Fleetdeck"],
      ["/migration/waves", "Waves · Migration · Fleetdeck"],
      ["/migration/gates", "Gates · Migration · Fleetdeck"],
      ["/audit", "Audit · Fleetdeck"],
      ["/users", "Users · Fleetdeck"],
      ["/registry", "Tenant registry · Fleetdeck"],
      ["/tokens", "Service tokens · Fleetdeck"],
      ["/diagnostics", "Diagnostics · Fleetdeck"],
    ];
    for (const [path, title] of titles) {
      await page.goto(path);
      await expect(page, path).toHaveTitle(title);
    }
  });
});

test.describe("favicon and 404", () => {
  test("[POLISH] /favicon.ico answers with an icon, signed in or not", async ({ request }) => {
    const response = await request.get("/favicon.ico");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
  });

  test("[POLISH] an unknown address shows the not-found message inside the app's shell", async ({ page }) => {
    await signIn(page, "viewer");
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(page.getByTestId("not-found")).toContainText("Page not found");
    await expect(page).toHaveTitle("Not found · Fleetdeck");
    await expect(page.getByTestId("current-user")).toContainText("viewer");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tenants" }).click();
    await expect(page).toHaveURL(/\/tenants$/);
    await expect(page.getByRole("heading", { level: 1, name: "Tenants" })).toBeVisible();
  });
});

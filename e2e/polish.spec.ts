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
    expect(await tickLightness(), "light ticks on the dark page").toBeGreaterThan(120);
    await page.emulateMedia({ colorScheme: "light" });
    await expect.poll(tickLightness, { message: "dark ticks on the light page" }).toBeLessThan(120);
  });
});

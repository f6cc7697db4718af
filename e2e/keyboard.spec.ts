import { expect, signIn, test } from "./support/fixtures";

// The portal's keyboard: the command palette (Ctrl+K), "/" for the page's search, "g <key>" jumps.

test("[KEYBOARD] Ctrl+K jumps to a tenant by its database name from any page", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/audit");
  await expect(page.locator("html")).toHaveAttribute("data-shortcuts", "on");
  await page.keyboard.press("Control+k");
  const palette = page.getByTestId("command-palette");
  await expect(palette).toBeVisible();
  await expect(page.getByTestId("command-palette-input")).toBeFocused();
  await page.keyboard.type("harborline");
  const tenant = palette.getByTestId("command-palette-tenant");
  await expect(tenant).toHaveCount(1);
  await expect(tenant).toContainText("harborline-analytics");
  await expect(tenant).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/tenants\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("odoo-harborline-analytics");
  await expect(palette).toHaveCount(0);

  // Pages too, and Escape closes it where it was.
  await page.keyboard.press("Control+k");
  await page.keyboard.type("xyz-no-such-tenant");
  await expect(page.getByTestId("command-palette")).toContainText("Nothing matches");
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("command-palette")).toHaveCount(0);
  await page.keyboard.press("Control+k");
  await page.keyboard.type("Runs");
  const runsPage = page.getByTestId("command-palette").getByRole("option", { name: "Runs", exact: true });
  await expect(runsPage).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/runs$/);
});

test("[KEYBOARD] / focuses the page's search; g t and g f go to the tenants and the fleet", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/");
  await expect(page.getByTestId("fleet-health-chart")).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("data-shortcuts", "on");
  await page.keyboard.press("g");
  await page.keyboard.press("t");
  await expect(page).toHaveURL(/\/tenants$/);
  await expect(page.getByTestId("tenants-table")).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("data-shortcuts", "on");
  await page.keyboard.press("/");
  await expect(page.getByTestId("tenants-search")).toBeFocused();
  // Typing in the search is typing, not a shortcut.
  await page.keyboard.type("gf");
  await expect(page).toHaveURL(/\/tenants/);
  await page.getByTestId("tenants-search").blur();
  await page.keyboard.press("g");
  await page.keyboard.press("f");
  await expect(page).toHaveURL(/\/$/);
});

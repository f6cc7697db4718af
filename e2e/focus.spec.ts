import { expect, signIn, test } from "./support/fixtures";

// After a client-side navigation focus moves to the page's h1; a page the browser loads keeps
// its own start, and the keyboard shortcuts keep working from the focused heading.

const focusedHeading = () =>
  document.activeElement instanceof HTMLHeadingElement && document.activeElement.tagName === "H1" ? document.activeElement.textContent : null;

test("[FOCUS] navigating moves focus to the main heading, not on first load; / and Ctrl+K still work", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/tenants");
  await expect(page.locator("html")).toHaveAttribute("data-shortcuts", "on");
  await expect(page.getByRole("heading", { level: 1, name: "Tenants" })).toBeVisible();
  expect(await page.evaluate(focusedHeading)).toBeNull();

  // A link in the sidebar.
  await page.getByTestId("nav-fleet").click();
  await expect(page.getByRole("heading", { level: 1, name: "Fleet overview" })).toBeFocused();

  // A shortcut: g t.
  await page.keyboard.press("g");
  await page.keyboard.press("t");
  const heading = page.getByRole("heading", { level: 1, name: "Tenants" });
  await expect(heading).toBeFocused();
  await expect(heading).toHaveAttribute("tabindex", "-1");

  // From the focused heading, "/" still reaches the search and Ctrl+K the palette.
  await page.keyboard.press("/");
  await expect(page.getByRole("searchbox", { name: "Search tenants" })).toBeFocused();
  await page.keyboard.press("Escape");
  await heading.focus();
  await page.keyboard.press("Control+k");
  await expect(page.getByTestId("command-palette-input")).toBeFocused();
  await page.keyboard.press("Escape");

  // A filter changes only the query: focus stays where the user put it.
  await page.getByRole("searchbox", { name: "Search tenants" }).fill("harborline");
  await expect(page).toHaveURL(/q=harborline/);
  await expect(page.getByRole("searchbox", { name: "Search tenants" })).toBeFocused();
});

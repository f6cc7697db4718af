import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./support/fixtures";

// Demo scenario tenants (sim/fleet/scenarios.ts): one crash-looping on a bad database host, one
// OOM-killed after a run with warnings in its log.
const CRASH_LOOPING = "brightpath-logistics";
const OOM_KILLED = "harborline-analytics";
const RUNNING = "atlas-archives";

/** Opens a tenant's page from the list, the way a user finds it, and returns its id. */
async function openTenant(page: Page, databaseName: string): Promise<string> {
  await page.goto(`/tenants?q=${databaseName}`);
  await page.getByTestId(`tenant-row-${databaseName}`).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/tenants\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname.split("/").pop()!;
}

async function openPodLogs(page: Page, databaseName: string): Promise<string> {
  const id = await openTenant(page, databaseName);
  await page
    .getByTestId("pods-table")
    .getByRole("link", { name: /^Logs of / })
    .first()
    .click();
  await expect(page).toHaveURL(/\/logs\?pod=/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Logs");
  return id;
}

test("[LOGS] an operator reads the previous container's traceback of a crash-looping tenant", async ({ page }) => {
  await signIn(page, "operator");
  await openPodLogs(page, CRASH_LOOPING);

  await expect(page.getByTestId("log-termination")).toContainText("exit code 1");
  const previous = page.getByRole("checkbox", { name: "Previous container" });
  await expect(previous).toBeEnabled();
  await previous.check();
  await expect(page).toHaveURL(/previous=1/);

  const log = page.getByRole("log", { name: "Log lines" });
  await expect(log).toContainText("Traceback (most recent call last):");
  await expect(log).toContainText("psycopg2.OperationalError: could not translate host name");
  await expect(page.getByTestId("log-status")).toHaveAttribute("data-state", "ended");
});

test("[LOGS] an operator searches the tenant's logs for ERROR and steps through the matches", async ({ page }) => {
  await signIn(page, "operator");
  const id = await openTenant(page, CRASH_LOOPING);
  await page.getByRole("link", { name: "Logs", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/tenants/${id}/logs$`));

  const log = page.getByRole("log", { name: "Log lines" });
  await expect(log.getByTestId("log-line").first()).toBeVisible();
  await page.getByRole("searchbox", { name: "Search logs" }).fill("ERROR");
  await expect(page).toHaveURL(/q=ERROR/);
  await expect(page.getByTestId("log-match-count")).toHaveText(/^\d[\d,]* match(es)?$/);
  await page.getByRole("button", { name: "Next match" }).click();
  await expect(page.getByTestId("log-match-count")).toHaveText(/^1 of \d/);
  const current = log.locator("[data-current-match]");
  await expect(current.locator("mark")).toHaveText(["ERROR"]);

  await page.getByRole("checkbox", { name: "Only matching lines" }).check();
  for (const text of await log.getByTestId("log-line").allTextContents()) expect(text).toMatch(/error/i);
  // Case-sensitive: "OperationalError" no longer counts, only the level word does.
  await page.getByRole("checkbox", { name: "Match case" }).check();
  await expect(page).toHaveURL(/case=1/);
  await expect(log.getByTestId("log-line").filter({ hasText: "OperationalError" }).filter({ hasNotText: "ERROR" })).toHaveCount(0);
  for (const text of await log.getByTestId("log-line").allTextContents()) expect(text).toContain("ERROR");

  await page.getByRole("checkbox", { name: "Regular expression" }).check();
  await page.getByRole("searchbox", { name: "Search logs" }).fill("ERROR (");
  await expect(page.getByTestId("log-search-error")).toContainText("Invalid regular expression");
  // The list keeps rendering while the pattern is being fixed.
  await expect(log.getByTestId("log-line").first()).toBeVisible();
});

test("[LOGS] an operator filters a log to warnings", async ({ page }) => {
  await signIn(page, "operator");
  await openPodLogs(page, OOM_KILLED);
  await page.getByRole("checkbox", { name: "Previous container" }).check();
  const log = page.getByRole("log", { name: "Log lines" });
  await expect(log).toContainText("MemoryError");

  await page.getByRole("checkbox", { name: "Warning" }).check();
  await expect(page).toHaveURL(/level=WARNING/);
  await expect(log).toContainText("Server memory limit");
  await expect(log).not.toContainText("MemoryError");
  const levels = await log.getByTestId("log-line").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-level")));
  expect(levels.length).toBeGreaterThan(0);
  expect(new Set(levels)).toEqual(new Set(["WARNING"]));
});

test("[LOGS] an operator downloads the full log and the current view", async ({ page }) => {
  await signIn(page, "operator");
  await openPodLogs(page, CRASH_LOOPING);
  await page.getByRole("checkbox", { name: "Previous container" }).check();
  await expect(page.getByRole("log", { name: "Log lines" })).toContainText("Traceback (most recent call last):");
  const fileName = new RegExp(`^${CRASH_LOOPING}_odoo-${CRASH_LOOPING}-[0-9a-f]{8}-[a-z0-9-]+_odoo_\\d{8}-\\d{6}\\.log$`);

  const [full] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download full log" }).click()]);
  expect(full.suggestedFilename()).toMatch(fileName);
  const fullText = await readFile((await full.path())!, "utf8");
  expect(fullText).toContain("Traceback (most recent call last):");
  expect(fullText.split("\n")[0]).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\S+ odoo-${CRASH_LOOPING}-\\S+/odoo `));

  await page.getByRole("searchbox", { name: "Search logs" }).fill("OperationalError");
  await page.getByRole("checkbox", { name: "Only matching lines" }).check();
  const [view] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download view" }).click()]);
  expect(view.suggestedFilename()).toMatch(fileName);
  const lines = (await readFile((await view.path())!, "utf8")).trimEnd().split("\n");
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line).toMatch(new RegExp(`^\\S+ odoo-${CRASH_LOOPING}-\\S+/odoo .*OperationalError`));
});

test("[LOGS] a download started from another site is refused", async ({ page }) => {
  await signIn(page, "operator");
  await openPodLogs(page, CRASH_LOOPING);
  const href = await page.getByRole("link", { name: "Download full log" }).getAttribute("href");
  expect(href).toMatch(/^\/api\/logs\/download\?/);
  const crossSite = await page.request.get(href!, { headers: { "sec-fetch-site": "cross-site" } });
  expect(crossSite.status()).toBe(403);
  expect(await crossSite.text()).toContain("Log downloads start from the portal itself");
  const sameOrigin = await page.request.get(href!, { headers: { "sec-fetch-site": "same-origin" } });
  expect(sameOrigin.status()).toBe(200);
});

test("[LOGS] following pauses while the user reads back and resumes at the bottom", async ({ page, cluster }) => {
  test.skip(!cluster, "needs the simulator's control API to write log lines");
  await signIn(page, "operator");
  await openPodLogs(page, RUNNING);
  const list = page.getByRole("log", { name: "Log lines" });
  const follow = page.getByTestId("log-follow-state");
  await expect(list.getByTestId("log-line").first()).toBeVisible();
  await expect(follow).toHaveAttribute("data-following", "true");
  const before = Number(await list.getAttribute("data-line-count"));

  await cluster!.tenantAction(RUNNING, "log-burst", { linesPerSecond: 200, seconds: 4 });
  await expect.poll(async () => Number(await list.getAttribute("data-line-count"))).toBeGreaterThan(before + 300);
  const fromBottom = () => list.evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight);
  expect(await fromBottom()).toBeLessThan(10);

  await list.hover();
  await page.mouse.wheel(0, -1500);
  await expect(follow).toHaveAttribute("data-following", "false");
  const readingAt = await list.evaluate((element) => element.scrollTop);
  await expect.poll(async () => Number(await list.getAttribute("data-line-count"))).toBeGreaterThan(before + 700);
  // New lines arrived below; the line being read stays where it was.
  expect(await list.evaluate((element) => element.scrollTop)).toBe(readingAt);

  await page.getByRole("button", { name: "Jump to latest" }).click();
  await expect(follow).toHaveAttribute("data-following", "true");
  await expect.poll(fromBottom).toBeLessThan(10);
});

test("[LOGS] a viewer has no access to logs", async ({ page }) => {
  await signIn(page, "viewer");
  const id = await openTenant(page, CRASH_LOOPING);
  await expect(page.getByTestId("pods-table")).toBeVisible();
  await expect(page.getByRole("link", { name: "Logs", exact: true })).toHaveCount(0);
  await expect(page.getByRole("link", { name: /^Logs of / })).toHaveCount(0);

  await page.goto(`/tenants/${id}/logs`);
  await expect(page.getByTestId("logs-access-denied").getByRole("alert")).toContainText("You do not have access to logs");
  await expect(page.getByRole("log")).toHaveCount(0);
});

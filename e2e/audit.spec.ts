import { readFile } from "node:fs/promises";
import { demoAccount, expect, signIn, test } from "./support/fixtures";

const CSV_HEADER = "at,actor,action,targetKind,targetId,outcome,sourceAddress,userAgent,details";

test("[AUDIT] an admin filters the audit log and exports it as CSV", async ({ page }) => {
  // Something to find: a viewer calls a procedure its role may not use.
  await signIn(page, "viewer");
  const forbidden = await page.request.get("/api/trpc/users.list", { headers: { "user-agent": "audit-e2e-agent" } });
  expect(forbidden.status()).toBe(403);
  await page.context().clearCookies();

  await signIn(page, "admin");
  await page.getByTestId("nav-audit").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Audit log");

  const filters = page.getByRole("search", { name: "Filter the audit log" });
  await filters.getByLabel("Who").fill(demoAccount("viewer"));
  await filters.getByLabel("What").selectOption("procedure.call");
  await filters.getByLabel("Outcome").selectOption("denied");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/[?&]outcome=denied/);
  await expect(page).toHaveURL(/[?&]action=procedure\.call/);

  const row = page.getByTestId("audit-row").filter({ hasText: "users.list" }).filter({ hasText: "audit-e2e-agent" }).first();
  await expect(row).toContainText(demoAccount("viewer"));
  await expect(row).toContainText("denied");
  await expect(page.getByTestId("audit-row").filter({ hasText: "success" })).toHaveCount(0);

  // The URL holds the filters: a reload shows the same view.
  await page.reload();
  await expect(page.getByRole("search", { name: "Filter the audit log" }).getByLabel("Outcome")).toHaveValue("denied");
  await expect(page.getByTestId("audit-row").filter({ hasText: "audit-e2e-agent" }).first()).toBeVisible();

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^audit-log_\d{8}-\d{6}\.csv$/);
  const lines = (await readFile((await download.path())!, "utf8")).trimEnd().split("\r\n");
  expect(lines[0]).toBe(CSV_HEADER);
  const exported = lines.find((line) => line.includes("audit-e2e-agent"));
  expect(exported).toContain(`,${demoAccount("viewer")},procedure.call,procedure,users.list,denied,`);
  expect(lines.slice(1).every((line) => line.includes(",denied,"))).toBe(true);

  // The export itself is in the log.
  await page.goto("/audit?action=audit.export");
  await expect(
    page
      .getByTestId("audit-row")
      .filter({ hasText: demoAccount("admin") })
      .first(),
  ).toBeVisible();
});

test("[AUDIT] a viewer has no Audit page", async ({ page }) => {
  await signIn(page, "viewer");
  await expect(page.getByTestId("current-user")).toBeVisible();
  await expect(page.getByTestId("nav-audit")).toHaveCount(0);
  await page.goto("/audit");
  await expect(page.getByTestId("access-denied")).toContainText("the Audit page");
  const exported = await page.request.get("/api/audit/export");
  expect(exported.status()).toBe(403);
});

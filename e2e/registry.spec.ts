import { randomUUID } from "node:crypto";

import { expect, signIn, test } from "./support/fixtures";

const HEADER = "id,name,database_name,customer_id,admin_email,instance_type,odoo_version,billing_status,created_at";

function registryRow(databaseName: string, odooVersion = "17.0"): string {
  const id = randomUUID();
  const name = `odoo-${databaseName}-${id.replaceAll("-", "").slice(0, 8)}`;
  return [id, name, databaseName, randomUUID(), "admin@e2e.example", "staging", odooVersion, "trial", ""].join(",");
}

test("[REGISTRY] an admin imports a file with a bad row and is told what to fix", async ({ page }) => {
  // Fresh names every run, so the file never collides with the demo registry or an earlier run.
  const suffix = randomUUID().slice(0, 8);
  const goodDatabase = `e2e-registry-${suffix}`;
  const csv = [HEADER, registryRow(goodDatabase), registryRow(`Bad Name ${suffix}`)].join("\n");

  await signIn(page, "admin");
  await page.getByRole("link", { name: "Registry" }).click();
  await expect(page.getByRole("heading", { name: "Tenant registry" })).toBeVisible();

  await page.getByTestId("registry-file-input").setInputFiles({
    name: "instances.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(csv, "utf8"),
  });
  await expect(page.getByTestId("registry-format")).toHaveValue("csv");
  await expect(page.getByTestId("registry-import")).toBeDisabled();
  await page.getByTestId("registry-preview").click();

  const report = page.getByTestId("registry-report");
  await expect(report).toContainText("1 problem: the file cannot be imported as it is. Fix it and check it again.");
  const problem = report.getByTestId("registry-report-row");
  await expect(problem).toHaveCount(1);
  // The header is row 1, so the second instance is row 3.
  await expect(problem.getByRole("cell").nth(0)).toHaveText("3");
  await expect(problem.getByRole("cell").nth(1)).toHaveText("database_name");
  await expect(problem.getByRole("cell").nth(2)).toContainText(`Bad Name ${suffix}`);
  await expect(page.getByTestId("registry-import")).toBeDisabled();
  await expect(page.getByTestId("registry-summary")).toHaveCount(0);

  // Not even the good row went in.
  await page.goto(`/tenants?q=${goodDatabase}`);
  await expect(page.getByText("No tenants match this search.")).toBeVisible();
  await expect(page.getByTestId(`tenant-row-${goodDatabase}`)).toHaveCount(0);
});

test("[REGISTRY] the file picker says what is chosen, and a binary file is named for what it is", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/registry");
  const chosen = page.getByTestId("registry-file-name");
  await expect(chosen).toHaveText("No file chosen yet.");
  await page.getByTestId("registry-file-input").setInputFiles({
    name: "instances.xlsx",
    mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    buffer: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00]),
  });
  await expect(page.getByTestId("registry-read-error")).toHaveText(
    "instances.xlsx is not a text file (it holds binary data). Export the registry as CSV or JSON and choose that file.",
  );
  await expect(page.getByTestId("registry-preview")).toBeDisabled();
  // A version the fleet does not run is allowed, with a word (nothing is imported here).
  const csv = [HEADER, registryRow(`e2e-version-${randomUUID().slice(0, 8)}`, "99.9")].join("\n");
  await page.getByTestId("registry-file-input").setInputFiles({ name: "instances.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
  await expect(chosen).toHaveText("Selected: instances.csv");
  await expect(page.getByTestId("registry-read-error")).toHaveCount(0);
  await page.getByTestId("registry-preview").click();
  await expect(page.getByTestId("registry-preview-summary")).toContainText("The file is ready: 1 tenant.");
  await expect(page.getByTestId("registry-warnings")).toContainText("Row 2, odoo_version: Odoo 99.9 is a version no tenant of the fleet runs");
  await expect(page.getByTestId("registry-import")).toBeEnabled();
});

test("[REGISTRY] a viewer cannot open the registry page", async ({ page }) => {
  await signIn(page, "viewer");
  await expect(page.getByRole("link", { name: "Registry" })).toHaveCount(0);
  await page.goto("/registry");
  await expect(page.getByTestId("access-denied")).toBeVisible();
  await expect(page.getByTestId("registry-file-input")).toHaveCount(0);
});

import { expect, signIn, test } from "./support/fixtures";

test("[TENANTS] search, filter and share the URL", async ({ page, context }) => {
  await signIn(page, "pm");
  await page.goto("/tenants");
  const table = page.getByTestId("tenants-table");
  const rows = table.locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  const firstDb = (await rows.first().getAttribute("data-testid"))!.replace("tenant-row-", "");

  await page.getByTestId("tenants-search").fill(firstDb);
  await expect(page).toHaveURL(new RegExp(`q=${firstDb}`));
  await expect(page.getByTestId(`tenant-row-${firstDb}`)).toBeVisible();

  await page.goto("/tenants?health=down&sort=name&dir=asc");
  await expect(rows.first()).toBeVisible();
  const downRows = await rows.count();
  const sharedUrl = page.url();

  const other = await context.newPage();
  await other.goto(sharedUrl);
  await expect(other.getByTestId("tenants-table").locator("tbody tr")).toHaveCount(downRows);
  await other.close();
});

test("[TENANTS] a bad query parameter shows a message, not a blank page", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/tenants?page=-4&health=exploded&pageSize=9999");
  await expect(page.getByTestId("tenants-table")).toBeVisible();
  await expect(page.getByRole("alert").or(page.getByRole("status")).first()).toBeVisible();
});

test("[TENANTS] sorting by restarts or storage starts with the worst first; by name with A", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/tenants");
  const table = page.getByTestId("tenants-table");
  await table.getByRole("button", { name: /^Restarts/ }).click();
  await expect(page).toHaveURL(/sort=restarts/);
  await expect(table.getByRole("columnheader", { name: /^Restarts/ })).toHaveAttribute("aria-sort", "descending");
  await table.getByRole("button", { name: /^Storage/ }).click();
  await expect(page).toHaveURL(/sort=storage/);
  await expect(table.getByRole("columnheader", { name: /^Storage/ })).toHaveAttribute("aria-sort", "descending");
  await table.getByRole("button", { name: /^Tenant/ }).click();
  await expect(page).toHaveURL(/sort=name/);
  await expect(table.getByRole("columnheader", { name: /^Tenant/ })).toHaveAttribute("aria-sort", "ascending");
});

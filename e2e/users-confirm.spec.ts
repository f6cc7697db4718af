import type { Page } from "@playwright/test";

import { expect, signIn, test } from "./support/fixtures";

// The Users page asks before a role change, a disable or a password reset (a dialog that says
// what will happen), and ends each with a toast that goes away by itself.

const password = "confirm-test-password-1";

async function createUser(page: Page, email: string) {
  await page.goto("/users");
  const form = page.getByTestId("create-user-form");
  await form.getByTestId("create-user-email").fill(email);
  await form.getByTestId("create-user-name").fill("Confirm test");
  await form.getByTestId("create-user-password").fill(password);
  await form.getByTestId("create-user-submit").click();
  await expect(page.getByTestId(`user-row-${email}`)).toBeVisible();
}

const toast = (page: Page, text: string | RegExp) => page.locator("[data-sonner-toast]").filter({ hasText: text });

test("[USERS] role change, disable and password reset ask first and end with a toast", async ({ page }) => {
  // A user of its own, so nothing here touches the demo accounts other specs sign in with.
  const email = `confirm-${Date.now().toString(36)}@fleetdeck.local`;
  await signIn(page, "admin");
  await createUser(page, email);
  await expect(toast(page, `Created ${email}`)).toBeVisible();
  // Success toasts go away by themselves (no banner stays behind).
  await expect(toast(page, `Created ${email}`)).toHaveCount(0, { timeout: 20_000 });

  const row = page.getByTestId(`user-row-${email}`);
  const role = page.getByRole("combobox", { name: `Role of ${email}` });
  const dialog = page.getByTestId("confirm-dialog");

  // Cancelled: nothing changes.
  await role.selectOption("operator");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("heading")).toHaveText(`Change the role of ${email}?`);
  await expect(dialog).toContainText("From viewer to operator");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(role).toHaveValue("viewer");
  await page.reload();
  await expect(role).toHaveValue("viewer");

  // Escape cancels too; confirmed, the change is made and said.
  await role.selectOption("operator");
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(role).toHaveValue("viewer");
  await role.selectOption("operator");
  await dialog.getByRole("button", { name: "Make operator" }).click();
  await expect(toast(page, `${email} is now operator.`)).toBeVisible();
  await expect(role).toHaveValue("operator");

  await row.getByRole("button", { name: `Disable ${email}` }).click();
  await expect(dialog).toContainText("signed out everywhere");
  await dialog.getByRole("button", { name: "Disable", exact: true }).click();
  await expect(toast(page, `${email} is disabled`)).toBeVisible();
  await expect(row).toContainText("disabled");

  await row.getByRole("button", { name: `Reset password of ${email}` }).click();
  await row.getByTestId("reset-password-input").fill("another-password-of-length");
  await row.getByTestId("reset-password-submit").click();
  await expect(dialog).toContainText("Their current password stops working");
  await dialog.getByRole("button", { name: "Set password" }).click();
  await expect(toast(page, `Password of ${email} was reset`)).toBeVisible();
  await expect(dialog).toHaveCount(0);
});

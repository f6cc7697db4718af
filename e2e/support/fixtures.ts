import { test as base, expect, type Page } from "@playwright/test";
import { realClusterControl } from "./real-cluster-control";
import { readStack } from "./stack-file";

/** A demo sign-in by its name: the role, or "approver" (the second admin). */
export type Role = "admin" | "approver" | "operator" | "pm" | "viewer";

export const demoPassword = process.env.FLEETDECK_E2E_PASSWORD ?? "fleetdeck-demo";
export const demoAccount = (role: Role) => `${role}@fleetdeck.local`;

/**
 * The simulator's control API (the "chromium" project) or its equivalent through the real API (the
 * "real-cluster" project, real-cluster-control.ts); absent against an external portal.
 */
export interface ClusterControl {
  tenantAction(tenant: string, action: string, body?: unknown): Promise<void>;
}

export async function signIn(page: Page, role: Role) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(demoAccount(role));
  await page.getByLabel("Password").fill(demoPassword);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
  // The shell's Sign out is disabled until React hydrated the page: a click before that would land on dead HTML.
  await expect(page.getByTestId("sign-out").first()).toBeEnabled();
}

export const test = base.extend<{ cluster: ClusterControl | undefined; signInAs: (role: Role) => Promise<void> }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern; it has none.
  cluster: async ({}, use, testInfo) => {
    const stack = readStack();
    if (!stack) return use(undefined);
    if (testInfo.project.name === "real-cluster") return use(stack.real ? realClusterControl(stack.real) : undefined);
    await use({
      async tenantAction(tenant, action, body) {
        const response = await fetch(`${stack.simUrl}/_sim/tenants/${tenant}/${action}`, {
          method: "POST",
          headers: { authorization: `Bearer ${stack.simToken}`, "content-type": "application/json" },
          body: JSON.stringify(body ?? {}),
        });
        if (!response.ok) throw new Error(`simulator ${action} ${tenant}: ${response.status} ${await response.text()}`);
      },
    });
  },
  signInAs: async ({ page }, use) => {
    await use((role) => signIn(page, role));
  },
});

export { expect };

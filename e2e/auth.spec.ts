import type { APIRequestContext, BrowserContext, Page } from "@playwright/test";

import { expect, signIn, test, type Role } from "./support/fixtures";

const sessionTestPassword = "session-test-password-1";

const roles: Role[] = ["admin", "operator", "pm", "viewer"];

for (const role of roles) {
  test(`[AUTH] ${role} signs in and lands on the fleet overview`, async ({ page }) => {
    await signIn(page, role);
    await expect(page.getByTestId("fleet-health-chart")).toBeVisible();
    await expect(page.getByTestId("current-user")).toContainText(role);
  });
}

test("[AUTH] a page without a session redirects to sign-in", async ({ page }) => {
  await page.goto("/tenants?q=acme");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
});

test("[AUTH] a wrong password is refused with a message", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("viewer@fleetdeck.local");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("sign-in-error")).toContainText(/incorrect|invalid|wrong/i);
  await expect(page).toHaveURL(/\/sign-in/);
});

test("[AUTH] an admin sees the Users page", async ({ page }) => {
  await signIn(page, "admin");
  await page.getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await expect(page.getByText("viewer@fleetdeck.local")).toBeVisible();
});

test("[AUTH] a viewer is refused the Users page", async ({ page }) => {
  await signIn(page, "viewer");
  await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
  await page.goto("/users");
  await expect(page.getByTestId("access-denied")).toBeVisible();
  await expect(page.getByText("admin@fleetdeck.local")).toHaveCount(0);
});

test("[AUTH] sign out ends the session", async ({ page }) => {
  await signIn(page, "operator");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/tenants");
  await expect(page).toHaveURL(/\/sign-in/);
});

async function sessionCookieOf(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
  expect(cookie, "signed in, so the session cookie is set").toBeDefined();
  return `${cookie!.name}=${cookie!.value}`;
}

function apiWithCookie(request: APIRequestContext, cookie: string) {
  return request.get("/api/trpc/fleet.summary", { headers: { cookie } });
}

test("[AUTH] a copied session cookie stops working after sign-out", async ({ page, browser, request }) => {
  await signIn(page, "operator");
  const copied = await sessionCookieOf(page.context());
  expect((await apiWithCookie(request, copied)).status()).toBe(200);

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  expect((await apiWithCookie(request, copied)).status()).toBe(401);
  const replay = await browser.newContext();
  try {
    const [name, ...value] = copied.split("=");
    await replay.addCookies([{ name, value: value.join("="), url: new URL(page.url()).origin }]);
    const replayPage = await replay.newPage();
    await replayPage.goto("/tenants");
    await expect(replayPage).toHaveURL(/\/sign-in/);
  } finally {
    await replay.close();
  }
});

async function createUser(page: Page, email: string) {
  await page.goto("/users");
  const form = page.getByTestId("create-user-form");
  await form.getByTestId("create-user-email").fill(email);
  await form.getByTestId("create-user-name").fill("Session test");
  await form.getByTestId("create-user-password").fill(sessionTestPassword);
  await form.getByTestId("create-user-submit").click();
  await expect(page.getByTestId(`user-row-${email}`)).toBeVisible();
}

test("[AUTH] an admin revokes another user's session from the Users page", async ({ page, browser }) => {
  // A user of its own, so revoking cannot sign out another test running in parallel.
  const email = `sessions-${Date.now().toString(36)}@fleetdeck.local`;
  await signIn(page, "admin");
  await createUser(page, email);

  const other = await browser.newContext();
  try {
    const otherPage = await other.newPage();
    await otherPage.goto("/sign-in");
    await otherPage.getByLabel("Email").fill(email);
    await otherPage.getByLabel("Password").fill(sessionTestPassword);
    await otherPage.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(otherPage.getByTestId("current-user-email")).toHaveText(email);

    const row = page.getByTestId(`user-row-${email}`);
    await row.getByRole("button", { name: `Sessions of ${email}` }).click();
    const sessions = row.getByTestId("user-sessions");
    await expect(sessions.getByTestId("session-row")).toHaveCount(1);
    // The start-up hook recorded the TCP peer: the suite's browser on this machine.
    await expect(sessions.getByTestId("session-row")).toContainText("127.0.0.1");
    await sessions.getByTestId("session-revoke").click();
    await expect(sessions).toContainText("No active sessions.");

    await otherPage.goto("/tenants");
    await expect(otherPage).toHaveURL(/\/sign-in/);
    expect((await otherPage.request.get("/api/trpc/fleet.summary")).status()).toBe(401);
  } finally {
    await other.close();
  }
});

test("[AUTH] the API refuses a request without a session, and every response carries the security headers", async ({ page, request }) => {
  const anonymous = await request.get("/api/trpc/fleet.summary");
  expect(anonymous.status()).toBe(401);
  expect((await anonymous.json()).error.json.data.code).toBe("UNAUTHORIZED");
  expect(anonymous.headers()["content-security-policy"]).toContain("default-src 'none'");
  expect(anonymous.headers()["x-content-type-options"]).toBe("nosniff");

  const signInPage = await request.get("/sign-in");
  expect(signInPage.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+'/);
  expect(signInPage.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(signInPage.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");

  await signIn(page, "viewer");
  const signedIn = await page.request.get("/api/trpc/fleet.summary");
  expect(signedIn.status()).toBe(200);
  expect(signedIn.headers()["x-frame-options"]).toBe("DENY");
});

test("[AUTH] a sign-in link whose callback points at another host lands on the portal", async ({ page }) => {
  await page.goto("/tenants");
  const portalOrigin = new URL(page.url()).origin;
  // The browser drops the tab, so "/\t/host" would become "//host": another site.
  await page.goto("/sign-in?callbackUrl=/%09/evil.example/path");
  await page.getByLabel("Email").fill("viewer@fleetdeck.local");
  await page.getByLabel("Password").fill(process.env.FLEETDECK_E2E_PASSWORD ?? "fleetdeck-demo");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Fleet overview");
  expect(new URL(page.url()).origin).toBe(portalOrigin);
  expect(new URL(page.url()).pathname).toBe("/");
});

test("[AUTH] an oversized request body is refused with 413 and a sentence", async ({ page }) => {
  await signIn(page, "admin");
  const origin = new URL(page.url()).origin;
  const response = await page.request.post("/api/trpc/users.create", {
    headers: { origin, "content-type": "application/json" },
    data: JSON.stringify({ json: { email: "big@example.com", name: "x".repeat(2 * 1024 * 1024) } }),
  });
  expect(response.status()).toBe(413);
  expect((await response.json()).error.data.userMessage).toContain("larger than 1 MB");
});

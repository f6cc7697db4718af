import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { OAuth2Server } from "oauth2-mock-server";

import { freePort, prepareDatabase, repoRoot, startPortal, type Portal } from "../scripts/lib/stack";
import { demoPassword, expect, test } from "./support/fixtures";
import { readStack } from "./support/stack-file";

// Single sign-on end to end: a mock OpenID Connect provider (oauth2-mock-server, which approves
// every authorization request at once) and a second portal configured with OIDC_* against it.
// The suite's shared portal has no OIDC, and other specs rely on its sign-in page, so this file
// starts its own portal, reusing the shared simulator and the bundle global setup built.

interface IdpUser {
  sub: string;
  email: string;
  name: string;
  groups: string[];
}

const ROLE_MAP = "fleet-admins=admin,fleet-ops=operator,fleet-pms=pm,fleet-viewers=viewer";
// Each run gets its own suffix so a kept data dir (E2E_KEEP_DATA) never sees the same user twice.
const run = randomBytes(3).toString("hex");
const ssoUser = (local: string, groups: string[]): IdpUser => ({
  sub: `${local}-${run}`,
  email: `${local}-${run}@sso.example.com`,
  name: `SSO ${local}`,
  groups,
});

const sharedStack = readStack();

let idp: OAuth2Server | undefined;
let portal: Portal | undefined;
let dataDir: string | undefined;
/** Who the mock provider signs in next: it has no login form, so the test decides. */
let nextUser: IdpUser | undefined;

async function stopStack() {
  await portal?.stop();
  portal = undefined;
  if (idp?.listening) await idp.stop();
  idp = undefined;
  if (dataDir && !process.env.E2E_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
}

test.describe("single sign-on", () => {
  test.skip(!sharedStack, "needs the simulator that global setup starts (not run against an external portal)");

  test.beforeAll(async () => {
    // Preparing the database and starting `next start` take longer than one test's budget.
    test.setTimeout(180_000);
    try {
      idp = new OAuth2Server();
      await idp.issuer.keys.generate("RS256");
      // next-auth reads the profile from the ID token alone (idToken: true; the userinfo endpoint
      // is never called), so the user's claims go on every token the provider signs.
      idp.service.on("beforeTokenSigning", (token) => {
        if (!nextUser) throw new Error("the test did not say which user the mock provider signs in");
        Object.assign(token.payload, nextUser, { preferred_username: nextUser.email });
      });
      await idp.start(await freePort(), "127.0.0.1");

      dataDir = join(repoRoot, ".data", `e2e-sso-${process.pid}`);
      rmSync(dataDir, { recursive: true, force: true });
      mkdirSync(dataDir, { recursive: true });
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        FLEETDECK_DATA_DIR: dataDir,
        KUBECONFIG: sharedStack!.kubeconfig,
        FLEETDECK_DEMO: "1",
        OIDC_ISSUER: idp.issuer.url!,
        OIDC_CLIENT_ID: "fleetdeck-e2e",
        OIDC_CLIENT_SECRET: randomBytes(16).toString("hex"),
        OIDC_ROLE_CLAIM: "groups",
        OIDC_ROLE_MAP: ROLE_MAP,
      };
      delete env.DATABASE_URL;
      delete env.NEXTAUTH_URL;
      // Migrations and the demo accounts only: the registry stays empty, which sign-in does not need.
      await prepareDatabase(env);
      portal = await startPortal(env, await freePort(), "127.0.0.1", { quiet: !process.env.E2E_VERBOSE });
    } catch (error) {
      await stopStack();
      throw error;
    }
  });

  test.afterAll(stopStack);

  test.beforeEach(() => {
    nextUser = undefined;
  });

  const url = (path: string) => `${portal!.url}${path}`;

  async function signInWithSso(page: import("@playwright/test").Page, user: IdpUser) {
    nextUser = user;
    await page.goto(url("/sign-in"));
    await page.getByRole("button", { name: "Sign in with single sign-on" }).click();
  }

  test("[SSO] a member of the operators group signs in through the identity provider and is an operator", async ({ page }) => {
    const user = ssoUser("ops", ["fleet-ops", "unmapped-group"]);
    await signInWithSso(page, user);

    await expect(page).toHaveURL(url("/"));
    await expect(page.getByTestId("fleet-health-chart")).toBeVisible();
    await expect(page.getByTestId("current-user-email")).toHaveText(user.email);
    await expect(page.getByTestId("current-user").getByTestId("role-badge")).toHaveText("operator");
    // Operators do not manage users: no link, and the page itself refuses them.
    await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
    await page.goto(url("/users"));
    await expect(page.getByTestId("access-denied")).toBeVisible();

    // The session survives a reload and sign-out ends it, as for a local account.
    await page.goto(url("/tenants"));
    await expect(page.getByRole("heading", { level: 1, name: "Tenants" })).toBeVisible();
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("[SSO] a member of the admins group (sent as a full group path) manages users", async ({ page }) => {
    // Keycloak sends "/fleet-admins" with "full group path" on; the most privileged mapped group wins.
    const user = ssoUser("lead", ["/fleet-viewers", "/fleet-admins"]);
    await signInWithSso(page, user);

    await expect(page.getByTestId("current-user").getByTestId("role-badge")).toHaveText("admin");
    await page.getByRole("link", { name: "Users" }).click();
    await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
    // The account was created on first sign-in, marked as single sign-on, with the mapped role.
    const row = page.getByTestId(`user-row-${user.email}`);
    await expect(row).toContainText("Single sign-on");
    await expect(row.getByTestId("role-badge")).toHaveText("admin");
  });

  test("[SSO] a user in no mapped group is refused with a message, and the refusal is audited", async ({ page }) => {
    const guest = ssoUser("guest", ["some-other-team"]);
    await signInWithSso(page, guest);

    await expect(page).toHaveURL(/\/sign-in\?error=OidcNoRole/);
    await expect(page.getByTestId("sign-in-error")).toContainText("not in any group that grants access");
    await page.goto(url("/"));
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);

    // An admin finds the refused attempt in the audit log, with the reason.
    await page.goto(url("/sign-in"));
    await page.getByLabel("Email").fill("admin@fleetdeck.local");
    await page.getByLabel("Password").fill(demoPassword);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByTestId("current-user-email")).toHaveText("admin@fleetdeck.local");
    const input = encodeURIComponent(JSON.stringify({ json: { action: "auth.sign-in", who: guest.email } }));
    const answer = await page.request.get(url(`/api/trpc/audit.list?input=${input}`));
    expect(answer.ok()).toBe(true);
    const events = ((await answer.json()) as { result: { data: { json: { events: { outcome: string; details: Record<string, unknown> }[] } } } }).result.data
      .json.events;
    expect(events).toEqual([
      expect.objectContaining({ outcome: "denied", details: expect.objectContaining({ provider: "oidc", reason: "OidcNoRole", subject: guest.sub }) }),
    ]);
  });

  test("[SSO] an identity with a local account's email does not take that account over", async ({ page }) => {
    // The viewer demo account is local; the provider claims the same email and an admin group.
    await signInWithSso(page, { sub: `intruder-${run}`, email: "viewer@fleetdeck.local", name: "Intruder", groups: ["fleet-admins"] });

    await expect(page).toHaveURL(/\/sign-in\?error=OidcAccountConflict/);
    await expect(page.getByTestId("sign-in-error")).toContainText("A local account already uses this email");

    // The local account still signs in with its password and is still a viewer.
    await page.getByLabel("Email").fill("viewer@fleetdeck.local");
    await page.getByLabel("Password").fill(demoPassword);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByTestId("current-user-email")).toHaveText("viewer@fleetdeck.local");
    await expect(page.getByTestId("current-user").getByTestId("role-badge")).toHaveText("viewer");
    await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
  });
});

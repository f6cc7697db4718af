import { readFileSync } from "node:fs";
import type { Locator, Page } from "@playwright/test";

import { expect, signIn, test } from "./support/fixtures";

// Every selector README.md documents for outside suites, run against the demo fleet: the README's
// two selector tables are parsed, each locator is mapped (by its "where" / "page" column) to a page
// state, and it must find exactly one element there (at least one for repeated rows). A documented
// locator whose page this spec does not know fails the test, so the README cannot gain an untested one.

const readme = readFileSync(new URL("README.md", import.meta.url), "utf8");

/** Demo scenario tenants (sim/fleet/scenarios.ts). tenant.spec heals the first crash-looping one, so the tenant page uses the OOM-killed one, whose problems stay. */
const TENANT = "harborline-analytics";
const CRASH_LOOPING = "brightpath-logistics";
const OTHER_USER = "operator@fleetdeck.local";
/** A demo tenant still on Swarm (DEMO_SWARM_TENANTS); migration-tenants.spec moves alder-books, not this one. */
const ON_SWARM = "tidewater-wines";

type StateName =
  | "sign-in"
  | "overview"
  | "tenants"
  | "tenants with a filter open"
  | "tenants with a bad parameter"
  | "tenant"
  | "unknown tenant"
  | "logs"
  | "logs with a search"
  | "logs with a bad regular expression"
  | "users"
  | "registry"
  | "audit"
  | "migration gates"
  | "migration waves"
  | "migration"
  | "migration task"
  | "on-swarm tenant"
  | "tokens"
  | "phone width"
  | "unknown address"
  | "orphan"
  | "unknown orphan"
  | "tenants with the orphan filter";

const SIGNED_IN_PAGES: StateName[] = ["overview", "tenants", "tenant", "logs", "users", "registry", "audit", "migration"];

/** The README's "where" / "page" words, and the states they mean. */
const PAGES_BY_WORD: Record<string, StateName[]> = {
  "every page": SIGNED_IN_PAGES,
  "every signed-in page": SIGNED_IN_PAGES,
  "fleet overview": ["overview"],
  overview: ["overview"],
  "sign-in": ["sign-in"],
  users: ["users"],
  registry: ["registry"],
  audit: ["audit"],
  tenants: ["tenants"],
  tenant: ["tenant"],
  logs: ["logs"],
  "migration gates": ["migration gates"],
  "migration waves": ["migration waves"],
  migration: ["migration"],
  "migration task": ["migration task"],
  "on-swarm tenant": ["on-swarm tenant"],
  tokens: ["tokens"],
  "phone width": ["phone width"],
  "unknown address": ["unknown address"],
  orphan: ["orphan"],
  "unknown orphan": ["unknown orphan"],
  "tenants with the orphan filter": ["tenants with the orphan filter"],
};

/** Locators whose element appears only in a particular state of their page. */
const STATE_OF: Record<string, StateName[]> = {
  'getByRole("checkbox", { name: "Down" })': ["tenants with a filter open"],
  'getByRole("alert").filter({ hasText: "Part of this link could not be used." })': ["tenants with a bad parameter"],
  'getByRole("meter", { name: /used/ })': ["tenant"],
  'getByRole("button", { name: "Next match" })': ["logs with a search"],
  'getByRole("button", { name: "Previous match" })': ["logs with a search"],
  "log-match-count": ["logs with a search"],
  "log-search-error": ["logs with a bad regular expression"],
  "tenant-not-found": ["unknown tenant"],
};

/** Repeated rows and lists: at least one, not exactly one. */
const REPEATED = new Set([
  "copyable-text",
  "attention-group",
  "attention-problem",
  "attention-runbook",
  "audit-row",
  'getByRole("columnheader", { name: /Tenant|Health|Type|Odoo|Billing|Restarts|Storage/ })',
  'getByRole("meter", { name: /used/ })',
  "log-line",
  'getByRole("img", { name: /^Gate / })',
  "gate-badge",
  "gate-summary",
  "timeline-entry",
  'getByRole("progressbar", { name: /progress$/ })',
  "migration-task-status",
  "migration-event",
]);

/** Documented as conditional; each needs a setup this shared, admin-signed-in run does not have. */
const SKIPPED: Record<string, string> = {
  'getByRole("button", { name: "Sign in with single sign-on" })': "only when OIDC is configured (sso.spec.ts starts a portal with it)",
  'getByRole("button", { name: "Jump to latest" })': "only while follow is paused after scrolling up (logs.spec.ts)",
  "sign-in-error": "only after a failed sign-in, which counts towards the sign-in throttle of the shared demo accounts (auth.spec.ts)",
  "access-denied": "only for a role without the page's permission (auth.spec.ts)",
  "user-sessions": "only after opening a user's sessions, which lists and revokes real sign-ins (auth.spec.ts)",
  "logs-access-denied": "only for a role without logs:read (logs.spec.ts)",
  "log-termination": "only for a container that restarted, chosen in the picker (logs.spec.ts)",
  "live-data-age": "only while a page is reconnecting, which needs the browser offline or a stalled stream (live.spec.ts)",
  "gate-failing": "only while a gate fails, which depends on what other specs healed (migration-gates.spec.ts)",
  "timeline-empty": "only when no entry matches the filter (migration-gates.spec.ts)",
  'getByRole("form", { name: "New wave" })': "only once New wave is clicked (migration-waves.spec.ts)",
  'getByLabel("Name")': "in the new-wave form (migration-waves.spec.ts)",
  'getByLabel("Tenant ids")': "in the new-wave form (migration-waves.spec.ts)",
  'getByLabel("Customer")': "in the new-wave form (migration-waves.spec.ts)",
  'getByLabel("Odoo versions")': "in the new-wave form (migration-waves.spec.ts)",
  'getByLabel("At most")': "in the new-wave form (migration-waves.spec.ts)",
  'getByLabel("Batch size")': "in the new-wave form (migration-waves.spec.ts)",
  'getByLabel("Concurrency")': "in the new-wave form (migration-waves.spec.ts)",
  'getByLabel("Failure budget")': "in the new-wave form (migration-waves.spec.ts)",
  'getByLabel("Exit gate (hours)")': "in the new-wave form (migration-waves.spec.ts)",
  'getByRole("group", { name: "Wave steps" })': "on a wave's board, which needs a wave (migration-waves.spec.ts)",
  'getByRole("form", { name: "Record a step" })': "on a wave's board (migration-waves.spec.ts)",
  'getByRole("combobox", { name: "Step to record" })': "on a wave's board (migration-waves.spec.ts)",
  'getByRole("textbox", { name: "Evidence" })': "on a wave's board (migration-waves.spec.ts)",
  'getByRole("button", { name: "Record step" })': "on a wave's board (migration-waves.spec.ts)",
  'getByRole("button", { name: "Roll back <tenant name>" })': "on a wave's board, for a tenant on Kubernetes (migration-waves.spec.ts)",
  "wave-row": "only once a wave exists (migration-waves.spec.ts)",
  'getByRole("img", { name: /^Tenants migrated over time/ })':
    "only once a wave plans tenants, which this spec must not depend on running first (migration-waves.spec.ts)",
  "batch-dialog": "only once Run over … is clicked (runbook-batches.spec.ts)",
  "batch-preview-summary": "in the batch dialog (runbook-batches.spec.ts)",
  "batch-needs-approval": "in the batch dialog, for a large selection (runbook-batches.spec.ts)",
  "batch-create": "in the batch dialog (runbook-batches.spec.ts)",
  "batch-view": "on a selection's page, which needs one (runbook-batches.spec.ts)",
  "batch-state": "on a selection's page (runbook-batches.spec.ts)",
  "batch-progress": "on a selection's page (runbook-batches.spec.ts)",
  "batch-awaiting-approval": "on a selection's page while it awaits approval (runbook-batches.spec.ts)",
  "batch-paused-reason": "on a paused selection's page (server/runbooks/batches/batch-driver.integration.test.ts)",
  "batch-decision": "on a decided selection's page (runbook-batches.spec.ts)",
  "batch-approve": "on a selection awaiting approval, for an approver (runbook-batches.spec.ts)",
  "batch-reject": "on a selection awaiting approval, for an approver (runbook-batches.spec.ts)",
  "batch-reject-confirm": "once Reject… is clicked (runbook-batches.spec.ts)",
  "batch-pause": "on a running selection (server/runbooks/batches/batch-driver.integration.test.ts)",
  "batch-resume": "on a paused selection (server/runbooks/batches/batch-driver.integration.test.ts)",
  "batch-retry": "on a selection with failed tenants (server/runbooks/batches/batch-driver.integration.test.ts)",
  "batch-cancel": "on an open selection (runbook-batches.spec.ts)",
  "batch-filter-<state>": "on a selection's page (runbook-batches.spec.ts)",
  "batch-item": "on a selection's page (runbook-batches.spec.ts)",
  "recent-batches": "on the Runs page once a selection exists (runbook-batches.spec.ts)",
  "command-palette": "only once Ctrl+K is pressed (keyboard.spec.ts)",
  "command-palette-input": "only once Ctrl+K is pressed (keyboard.spec.ts)",
  "command-palette-tenant": "only once something is typed into the palette (keyboard.spec.ts)",
  "confirm-dialog": "only once a role change, disable or password reset is asked for (users-confirm.spec.ts)",
  "confirm-dialog-confirm": "in the confirmation dialog (users-confirm.spec.ts)",
  acknowledgement: "only while a problem is acknowledged, which attention.spec.ts does and undoes",
  "command-palette-orphan": "only once an orphan's name is typed into the palette (orphans.spec.ts)",
  "wave-selection-preview": "in the new-wave form (migration-waves.spec.ts)",
  "wave-board": "on a wave's board (migration-waves.spec.ts)",
  "wave-state": "on a wave's board (migration-waves.spec.ts)",
  "wave-column": "on a wave's board (migration-waves.spec.ts)",
  "wave-tenant": "on a wave's board (migration-waves.spec.ts)",
  "wave-confirm": "on a wave's board after a step is clicked (migration-waves.spec.ts)",
  "wave-paused": "on a paused wave's board (migration-waves.spec.ts)",
  "wave-exit-gate": "on a wave's board (migration-waves.spec.ts)",
  "tokens-table": "only once a service token exists (migration-tenants.spec.ts creates and revokes one)",
  "token-row": "only once a service token exists (migration-tenants.spec.ts)",
  "revoke-token": "only on an active token's row (migration-tenants.spec.ts)",
  "token-secret": "only right after creating a token (migration-tenants.spec.ts)",
};

/** The README's tables of each kind, the main ones first, then each feature's own. */
const ROLE_TABLES = ["Roles and accessible names", "Migration gates: roles and accessible names", "Migration waves: roles and accessible names"];
const TEST_ID_TABLES = [
  "Test ids",
  "Migration gates: test ids",
  "Migration waves: test ids",
  "Runs over a selection: test ids",
  "Keyboard: test ids",
  "Copy buttons: test ids",
  "Orphan workloads: test ids",
  "Acknowledging problems: test ids",
  "Confirmations: test ids",
];

interface DocumentedSelector {
  /** As the README writes it (placeholders included): the key of the maps above. */
  documented: string;
  /** Playwright code on `page`, e.g. getByTestId("log-viewer"). */
  code: string;
  pages: string;
}

/** A table's rows after `### <heading>`; cells split on `|` outside code spans. */
function tableRows(heading: string): string[][] {
  const start = readme.indexOf(`### ${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "### ${heading}" table`);
  const lines = readme.slice(start).split("\n").slice(1);
  const table = lines.slice(lines.findIndex((line) => line.startsWith("|")));
  const rows = table
    .slice(
      0,
      table.findIndex((line) => !line.startsWith("|")),
    )
    .slice(2);
  return rows.map((line) => {
    const cells: string[] = [];
    let cell = "";
    let inCode = false;
    for (const ch of line.slice(1, line.trimEnd().length - 1)) {
      if (ch === "`") inCode = !inCode;
      if (ch === "|" && !inCode) {
        cells.push(cell.trim());
        cell = "";
      } else cell += ch;
    }
    cells.push(cell.trim());
    return cells;
  });
}

const codeSpans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]);

function documentedSelectors(): DocumentedSelector[] {
  const selectors: DocumentedSelector[] = [];
  for (const [where, locators] of ROLE_TABLES.flatMap(tableRows)) {
    let previous: string | undefined;
    for (const span of codeSpans(locators)) {
      // A bare "name" after a locator is the same locator with that name (or that label, for getByLabel).
      const bare = /^".*"$/.test(span) ? previous : undefined;
      const documented = bare
        ? /name: /.test(bare)
          ? bare.replace(/name: (\/[^/]*\/|"[^"]*")/, `name: ${span}`)
          : bare.replace(/^(\w+)\("[^"]*"/, `$1(${span}`)
        : span;
      if (!documented.startsWith("getBy")) throw new Error(`README.md: "${span}" in the ${where} row is neither a locator nor a name`);
      selectors.push({ documented, code: documented, pages: where });
      previous = documented;
    }
  }
  for (const [ids, pages] of TEST_ID_TABLES.flatMap(tableRows)) {
    for (const id of codeSpans(ids)) selectors.push({ documented: id, code: `getByTestId(${JSON.stringify(id)})`, pages });
  }
  return selectors;
}

function statesOf(selector: DocumentedSelector): StateName[] {
  const explicit = STATE_OF[selector.documented];
  if (explicit) return explicit;
  const words = selector.pages.split(/,\s*/);
  const unknown = words.filter((word) => !PAGES_BY_WORD[word]);
  if (unknown.length > 0) {
    throw new Error(
      `README.md documents ${selector.documented} on "${unknown.join(", ")}", a page readme-selectors.spec.ts does not know: add it to PAGES_BY_WORD or STATE_OF`,
    );
  }
  return words.flatMap((word) => PAGES_BY_WORD[word]);
}

async function tenantId(page: Page, databaseName: string): Promise<string> {
  await page.goto(`/tenants?q=${databaseName}`);
  const href = await page.getByTestId(`tenant-row-${databaseName}`).getByRole("link").first().getAttribute("href");
  return href!.split("/").pop()!;
}

/** Opens a state and says what its placeholders stand for. */
async function open(page: Page, state: StateName, ids: { tenant: string; crashLooping: string; onSwarm: string }): Promise<Record<string, string>> {
  const suffixOf = async (prefix: string) => {
    const first = page.locator(`[data-testid^="${prefix}"]`).first();
    await expect(first).toBeVisible();
    return (await first.getAttribute("data-testid"))!.slice(prefix.length);
  };
  // The phone-width state is the overview in a 390 px window; every other one is at desktop width.
  await page.setViewportSize(state === "phone width" ? { width: 390, height: 844 } : { width: 1440, height: 900 });
  switch (state) {
    case "sign-in":
      await page.goto("/sign-in");
      return {};
    case "overview":
      await page.goto("/");
      await expect(page.getByTestId("fleet-health-chart")).toBeVisible();
      return { state: "down" };
    case "tenants":
      await page.goto(`/tenants?q=${TENANT}`);
      await expect(page.getByTestId(`tenant-row-${TENANT}`)).toBeVisible();
      return { databaseName: TENANT, name: "health" };
    case "tenants with a filter open":
      await page.goto("/tenants");
      await page.getByTestId("tenants-filter-health").click();
      return {};
    case "tenants with a bad parameter":
      await page.goto("/tenants?page=-4");
      await expect(page.getByTestId("tenants-table")).toBeVisible();
      return {};
    case "tenant":
      await page.goto(`/tenants/${ids.tenant}`);
      return { podName: await suffixOf("pod-row-"), pvcName: await suffixOf("pvc-row-") };
    case "unknown tenant":
      await page.goto("/tenants/00000000-0000-0000-0000-000000000000");
      return {};
    case "logs":
      await page.goto(`/tenants/${ids.crashLooping}/logs`);
      await expect(page.getByTestId("log-line").first()).toBeVisible({ timeout: 20_000 });
      return {};
    case "logs with a search":
      await page.goto(`/tenants/${ids.crashLooping}/logs?q=error`);
      await expect(page.getByTestId("log-line").first()).toBeVisible({ timeout: 20_000 });
      return {};
    case "logs with a bad regular expression":
      await page.goto(`/tenants/${ids.crashLooping}/logs?q=${encodeURIComponent("(")}&regex=1`);
      return {};
    case "users":
      await page.goto("/users");
      await expect(page.getByTestId(`user-row-${OTHER_USER}`)).toBeVisible();
      return { email: OTHER_USER };
    case "registry":
      await page.goto("/registry");
      return {};
    case "audit":
      await page.goto("/audit");
      await expect(page.getByTestId("audit-row").first()).toBeVisible();
      return {};
    case "migration waves":
      await page.goto("/migration/waves");
      await expect(page.getByRole("heading", { level: 1, name: "Migration waves" })).toBeVisible();
      return {};
    case "migration gates":
      await page.goto("/migration/gates");
      await expect(page.getByTestId("gates-panel")).toBeVisible();
      return { gateKey: "cluster-access" };
    case "migration":
      await page.goto("/migration");
      await expect(page.getByTestId("migration-burn-up")).toBeVisible();
      return { week: "7", seedKey: "w7-test-lifecycle-runbook" };
    case "migration task":
      await page.goto("/migration");
      await page.getByTestId("migration-task-w7-test-lifecycle-runbook").getByRole("link").click();
      await expect(page.getByRole("dialog")).toBeVisible();
      return {};
    case "on-swarm tenant":
      await page.goto(`/tenants/${ids.onSwarm}`);
      await expect(page.getByTestId("migration-event").first()).toBeVisible();
      return {};
    case "phone width":
      await page.goto("/");
      await expect(page.getByTestId("fleet-health-chart")).toBeVisible();
      return {};
    case "unknown address":
      await page.goto("/no-such-page");
      return {};
    case "orphan":
      await page.goto("/");
      await page.getByRole("region", { name: "Orphan workloads" }).getByRole("link").first().click();
      await expect(page).toHaveURL(/\/orphans\//);
      return {};
    case "unknown orphan":
      await page.goto("/orphans/00000000-0000-4000-8000-00000000dead");
      return {};
    case "tenants with the orphan filter":
      await page.goto("/tenants?problem=orphan-workload");
      return {};
    case "tokens":
      await page.goto("/tokens");
      await expect(page.getByTestId("create-token-form")).toBeVisible();
      return {};
  }
}

/**
 * "Exactly one" means after hydration: client-only elements (Next's route announcer is an alert,
 * too) arrive then, and a count taken before would pass a selector that is ambiguous later.
 */
async function hydrated(page: Page) {
  await page.waitForFunction(() => document.querySelector("next-route-announcer") !== null);
}

function locate(page: Page, code: string): Locator {
  // The README's locators are Playwright calls on `page`, regular expressions included.
  return new Function("page", `return page.${code};`)(page) as Locator;
}

test("[README] every documented selector finds its element", async ({ page }) => {
  test.setTimeout(120_000);
  const selectors = documentedSelectors();
  expect(selectors.length).toBeGreaterThan(60);
  const byState = new Map<StateName, DocumentedSelector[]>();
  for (const selector of selectors) {
    if (SKIPPED[selector.documented]) continue;
    for (const state of statesOf(selector)) byState.set(state, [...(byState.get(state) ?? []), selector]);
  }
  for (const documented of Object.keys({ ...SKIPPED, ...STATE_OF })) {
    expect(
      selectors.map((s) => s.documented),
      `${documented} is listed in the spec but no longer in README.md`,
    ).toContain(documented);
  }

  const failures: string[] = [];
  const check = async (target: Page, state: StateName, placeholders: Record<string, string>) => {
    for (const selector of byState.get(state) ?? []) {
      const code = selector.code.replace(/<(\w+)>/g, (whole, key: string) => placeholders[key] ?? whole);
      if (/<\w+>/.test(code)) {
        failures.push(`${state}: ${selector.documented} has a placeholder the spec cannot fill`);
        continue;
      }
      const locator = locate(target, code);
      try {
        if (REPEATED.has(selector.documented)) await expect(locator.first()).toBeAttached({ timeout: 5_000 });
        else await expect(locator).toHaveCount(1, { timeout: 5_000 });
      } catch {
        failures.push(`${state}: ${code} found ${await locator.count()} elements${REPEATED.has(selector.documented) ? "" : ", expected exactly 1"}`);
      }
    }
  };

  await open(page, "sign-in", { tenant: "", crashLooping: "", onSwarm: "" });
  await hydrated(page);
  await check(page, "sign-in", {});

  await signIn(page, "admin");
  const ids = { tenant: await tenantId(page, TENANT), crashLooping: await tenantId(page, CRASH_LOOPING), onSwarm: await tenantId(page, ON_SWARM) };
  for (const state of byState.keys()) {
    if (state === "sign-in") continue;
    const placeholders = await open(page, state, ids);
    await hydrated(page);
    await check(page, state, placeholders);
  }
  expect(failures, failures.join("\n")).toEqual([]);
});

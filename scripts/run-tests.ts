// `npm test`: every suite in one run. Lint and format check first, then unit and integration tests
// (Vitest, including the simulator, PostgreSQL and real-control-plane tests), then the E2E suite
// (Playwright + Debian's Chromium) against the production build. Prints one closing line with the totals.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CHROMIUM_PATH } from "./lib/chromium";
import { buildPortalIfStale, repoRoot } from "./lib/stack";
import { testPostgres } from "./lib/test-postgres";

const { values } = parseArgs({
  options: {
    unit: { type: "boolean", default: false },
    e2e: { type: "boolean", default: false },
  },
});
const runUnit = values.unit || !values.e2e;
const runE2E = values.e2e || !values.unit;

const resultsDir = join(repoRoot, "test-results");
mkdirSync(resultsDir, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures: string[] = [];

function bin(name: string) {
  return join(repoRoot, "node_modules/.bin", name);
}

function postgresUrl(): string | undefined {
  const postgres = testPostgres();
  if ("url" in postgres) return postgres.url;
  console.warn(`[test] PostgreSQL could not be started here, so the PostgreSQL tests are skipped:\n${postgres.reason}`);
  return undefined;
}

// The suites still run after a lint failure, so one run shows everything that is wrong.
if (runUnit) {
  console.log("\n=== Lint and format (ESLint, Prettier) ===");
  const lint = spawnSync("npm", ["run", "--silent", "lint"], { cwd: repoRoot, env: process.env, stdio: "inherit" });
  if (lint.status !== 0) failures.push(`lint failed (npm run lint exited with ${lint.status})`);
}

if (runUnit) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  const pgUrl = postgresUrl();
  if (pgUrl) env.TEST_DATABASE_URL = pgUrl;
  else if (process.env.CI) failures.push("PostgreSQL is required in CI (scripts/start-test-postgres.sh failed)");
  // The real control plane's binaries, built once from controlplane/ into a cache outside the
  // repository (the first time takes minutes: README, "Real control plane"); its suites need them.
  console.log("\n=== Real control plane binaries (Go; cached after the first build) ===");
  const controlPlane = spawnSync(bin("tsx"), ["scripts/cluster.ts", "--build-only"], { cwd: repoRoot, env, stdio: "inherit" });
  // The E2E step's "real-cluster" project (e2e/support/projects.ts) needs them too.
  if (controlPlane.status === 0) env.FLEETDECK_REAL_CLUSTER = process.env.FLEETDECK_REAL_CLUSTER = "1";
  else failures.push(`the control plane did not build (npm run cluster -- --build-only exited with ${controlPlane.status})`);
  // Helm for the chart's checks (deploy/helm), its own Go module and cache key next to the control plane's.
  console.log("\n=== Helm (Go; cached after the first build) ===");
  const helm = spawnSync(bin("tsx"), ["scripts/helm.ts", "--build-only"], { cwd: repoRoot, env, stdio: "inherit" });
  if (helm.status !== 0) failures.push(`helm did not build (npm run helm -- --build-only exited with ${helm.status})`);
  // The production build, made here once: the two-replica suite (scripts/portal-replicas.integration.test.ts,
  // PostgreSQL only) starts `next start` on it, and the E2E step's global setup then finds it fresh.
  // Made inside that suite instead, it would compete with every other file Vitest runs at once.
  if (pgUrl || runE2E) {
    console.log("\n=== Production build (next build, skipped when fresh) ===");
    try {
      buildPortalIfStale();
    } catch (error) {
      failures.push(`the production build failed (${error instanceof Error ? error.message : error})`);
    }
  }
  // Two runs: everything else with files in parallel, then the suites on the real control plane
  // one file at a time (each starts its own API server, etcd, controllers and kwok; several at
  // once on two cores only make each slower and their timeouts tighter).
  const runs: { title: string; args: string[]; name: string }[] = [
    { title: "Unit and integration tests (Vitest)", args: ["--exclude", "**/*.real-cluster.integration.test.ts"], name: "vitest" },
  ];
  if (env.FLEETDECK_REAL_CLUSTER)
    runs.push({
      title: "Suites on the real control plane (Vitest, one file at a time)",
      args: ["--no-file-parallelism", "real-cluster.integration"],
      name: "vitest-real-cluster",
    });
  for (const run of runs) {
    const report = join(resultsDir, `${run.name}.json`);
    rmSync(report, { force: true });
    console.log(`\n=== ${run.title} ===`);
    const vitest = spawnSync(bin("vitest"), ["run", ...run.args, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`], {
      cwd: repoRoot,
      env,
      stdio: "inherit",
    });
    if (existsSync(report)) {
      const json = JSON.parse(readFileSync(report, "utf8"));
      totals.passed += json.numPassedTests ?? 0;
      totals.failed += json.numFailedTests ?? 0;
      totals.skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
    }
    if (vitest.status !== 0) failures.push(`${run.name} exited with ${vitest.status}`);
  }
}

if (runE2E) {
  const chromium = CHROMIUM_PATH;
  if (!existsSync(chromium)) {
    console.warn(`[test] E2E skipped: no Chromium at ${chromium} (install Debian's chromium or set CHROMIUM_PATH).`);
    if (process.env.CI) failures.push("Chromium is missing in CI");
  } else {
    const report = join(resultsDir, "e2e-report.json");
    rmSync(report, { force: true });
    console.log("\n=== End-to-end tests (Playwright, Chromium) ===");
    const playwright = spawnSync(bin("playwright"), ["test", "-c", "e2e/playwright.config.ts"], {
      cwd: repoRoot,
      env: process.env,
      stdio: "inherit",
    });
    if (existsSync(report)) {
      const stats = JSON.parse(readFileSync(report, "utf8")).stats ?? {};
      totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
      totals.failed += stats.unexpected ?? 0;
      totals.skipped += stats.skipped ?? 0;
    }
    if (playwright.status !== 0) failures.push(`playwright exited with ${playwright.status}`);
  }
}

console.log(`\nTests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
if (failures.length > 0 || totals.failed > 0) {
  console.error(`FAILED: ${failures.join("; ") || "see above"}`);
  process.exit(1);
}
if (totals.passed === 0) {
  console.error("FAILED: no test ran");
  process.exit(1);
}

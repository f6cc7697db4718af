import { defineConfig, devices } from "@playwright/test";

import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../scripts/lib/chromium";
import { REAL_CLUSTER_SPECS, realClusterProject } from "./support/projects";

export default defineConfig({
  testDir: ".",
  testMatch: "**/*.spec.ts",
  outputDir: "../test-results/e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"], ["json", { outputFile: "../test-results/e2e-report.json" }]],
  globalSetup: "./support/global-setup.ts",
  globalTeardown: "./support/global-teardown.ts",
  use: {
    // Set by global-setup, which starts the simulator and the portal on free ports.
    baseURL: process.env.FLEETDECK_E2E_URL,
    trace: "on-first-retry",
    screenshot: "only-on-failure",
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  projects: [
    { name: "chromium", use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 } } },
    // The same specs on a real control plane (support/projects.ts); global-setup starts its stack.
    ...(realClusterProject
      ? [
          {
            name: "real-cluster",
            testMatch: REAL_CLUSTER_SPECS.map((spec) => `**/${spec}`),
            use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 }, baseURL: process.env.FLEETDECK_E2E_REAL_URL },
          },
        ]
      : []),
  ],
});

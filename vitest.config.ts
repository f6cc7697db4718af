import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Suites on the real control plane (scripts/lib/control-plane.ts): each starts one, and the first
// ever start builds the binaries (minutes). `npm test` builds them first and sets
// FLEETDECK_REAL_CLUSTER=1; a plain `npx vitest run` leaves them out unless it is set. They are
// named `*.real-cluster.integration.test.ts`.
const realClusterTests = ["**/*.real-cluster.integration.test.ts"];

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL("./", import.meta.url)),
      // `server-only` throws outside React Server Components; tests run server code directly.
      "server-only": fileURLToPath(new URL("./scripts/test-support/server-only-stub.ts", import.meta.url)),
    },
  },
  test: {
    include: ["**/*.test.ts", "**/*.test.tsx"],
    exclude: ["node_modules/**", "e2e/**", ".next/**", ".next-*/**", ".data/**", ...(process.env.FLEETDECK_REAL_CLUSTER ? [] : realClusterTests)],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});

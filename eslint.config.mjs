import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import reactHooks from "eslint-plugin-react-hooks";

// The import boundaries of STYLE.md's "shape of the house". Each entry names top-level folders
// that an import may not reach, by the `@/` alias or relatively by climbing out to the root (no
// folder below the root shares these names, so `../server` from any depth means the root's).
const forbidden = {
  ui: { folders: ["components", "app"], message: "server/ never imports components/ or app/: data flows from server/ to the UI, not back." },
  components: { folders: ["components"], message: "server/ never imports components/: data flows from server/ to the UI, not back." },
  serverValues: {
    folders: ["server"],
    message: "server/ is server-only: client code may import its types (`import type`), never its values.",
    allowTypeImports: true,
  },
  portalInLib: {
    folders: ["server", "components", "app", "sim"],
    message: "lib/ holds only what browser and server both import; it depends on nothing else of the portal.",
  },
  sim: { folders: ["sim"], message: "sim/ is a separate program: start it (scripts/lib/stack.ts startSimulator), never import it." },
  portalInSim: {
    folders: ["app", "components", "server", "lib"],
    message: "sim/ stands alone: it imports nothing of the portal, whose Kubernetes API server it plays.",
    // `@/` is the portal's alias, whatever folder it names.
    wholeAlias: true,
  },
};

function patternsOf(entries) {
  return entries.flatMap(({ folders, message, allowTypeImports = false, wholeAlias = false }) => [
    { regex: `^(@/|(\\.\\./)+)(${folders.join("|")})(/|$)`, message, allowTypeImports },
    // A root file (instrumentation.ts, proxy.ts) would reach it as `./sim`. Only sim/ gets this
    // form: sim/ has its own `./server`, and no folder but the root has a sim/.
    ...(folders.includes("sim") ? [{ regex: "^\\./sim(/|$)", message, allowTypeImports }] : []),
    ...(wholeAlias ? [{ regex: "^@/", message, allowTypeImports }] : []),
  ]);
}

/** One block per folder, and the blocks do not overlap: a later block's options would replace these, not add to them. */
function boundary(name, files, entries, ignores = []) {
  const patterns = patternsOf(entries);
  return {
    name: `fleetdeck/boundaries/${name}`,
    files,
    ignores,
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns }],
      // `import()` is no import declaration; esquery's regex literals cannot contain `/`, hence \x2F.
      "no-restricted-syntax": [
        "error",
        ...patterns.map(({ regex, message }) => ({ selector: `ImportExpression[source.value=/${regex.replaceAll("/", "\\x2F")}/]`, message })),
      ],
    },
  };
}

const TESTS = ["**/*.test.ts", "**/*.test.tsx"];
const REAL_CLUSTER_FLEET = ["scripts/lib/real-fleet.ts", "scripts/lib/volume-provisioner.ts", "scripts/lib/*.real-cluster.integration.test.ts"];
const SIM_EXCEPT_DATA = "^(@/|(\\.\\./)+)sim(/(?!fleet/|logs/)|$)";
// Client code: components/ and the route error boundaries, which Next requires to be client components.
const CLIENT = ["components/**", "app/**/error.tsx", "app/**/global-error.tsx"];

export default defineConfig([
  globalIgnores([
    ".next/**",
    // NEXT_DIST_DIR builds (a second portal beside the first, e.g. for a helper's E2E run).
    ".next-*/**",
    ".data/**",
    "node_modules/**",
    "server/db/generated/**",
    "test-results/**",
    "playwright-report/**",
    "public/**",
    "bench/results/**",
    "next-env.d.ts",
  ]),
  js.configs.recommended,
  ...nextVitals,
  ...nextTypescript,
  reactHooks.configs.flat.recommended,
  {
    name: "fleetdeck/rules",
    rules: {
      // A `let` read by a closure before its one assignment (a stop handler, an unsubscribe) stays
      // a `let`: as a `const` that early read would throw.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Playwright fixtures receive a `use` callback and server tests call `useTestDatabase()`:
    // names that look like React hooks, in files that render no React.
    name: "fleetdeck/not-react-hooks",
    files: ["e2e/**", "server/**/*.test.ts"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  boundary("server", ["server/**"], [forbidden.ui, forbidden.sim], TESTS),
  // Tests may drive app/'s route handlers directly (server/trpc/routers/logs.integration.test.ts).
  boundary(
    "server-tests",
    TESTS.map((glob) => `server/${glob}`),
    [forbidden.components, forbidden.sim],
  ),
  boundary("lib", ["lib/**"], [forbidden.portalInLib]),
  boundary("client", CLIENT, [forbidden.serverValues, forbidden.sim]),
  boundary("sim", ["sim/**"], [forbidden.portalInSim]),
  boundary("everything-else", ["**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}"], [forbidden.sim], ["server/**", "lib/**", "sim/**", ...CLIENT]),
  // The real control plane's fleet (issue 13) is populated from the simulator's fleet plan, as
  // data: these files may import sim/fleet/ and sim/logs/ (plan, manifests, log lines), nothing else of sim/.
  {
    ...boundary("real-cluster-fleet", REAL_CLUSTER_FLEET, []),
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [{ regex: SIM_EXCEPT_DATA, message: forbidden.sim.message }] }],
      "no-restricted-syntax": [
        "error",
        { selector: `ImportExpression[source.value=/${SIM_EXCEPT_DATA.replaceAll("/", "\\x2F")}/]`, message: forbidden.sim.message },
      ],
    },
  },
]);

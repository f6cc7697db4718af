// The JS budget alone (issue 14): a small demo stack (simulator, fresh data dir, production
// portal), signed in as admin, then every route's first-load JS, gzip-compressed, against
// 170 kB. `npm run bench` measures the same at fleet scale; this one takes about a minute plus
// `next build` when the bundle is stale. Prints a table, writes bench/results/js-budget-*.json.
// A route above the budget is a finding (exit 0); exit 1 means it could not be measured.
import { parseArgs } from "node:util";

import { buildPortalIfStale } from "../scripts/lib/stack";
import { BenchStack } from "./support/bench-stack";
import { FIRST_LOAD_JS_BUDGET_KB, firstLoadJsRows, firstLoadRoutes, measureFirstLoadJs } from "./support/first-load-js";
import { info, machineLoad, printTable, writeResults } from "./support/report";

const { values: flags } = parseArgs({
  options: {
    tenants: { type: "string", default: "40" },
    "no-build": { type: "boolean", default: false },
    "keep-data": { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
  },
});

async function main(): Promise<number> {
  const stack = new BenchStack({ dataDirPrefix: "bench-js", logPrefix: "[bench]", keepData: flags["keep-data"], verbose: flags.verbose });
  try {
    await stack.startSimulator({ tenants: Number(flags.tenants), scenario: "demo" });
    await stack.prepareDatabase();
    const registry = await stack.registry();
    if (!flags["no-build"]) buildPortalIfStale();
    await stack.startPortal();
    const client = await stack.signIn();
    const tenant = await client.query<{ items: { id: string }[] }>("tenants.list", { pageSize: 1, sort: "health" });
    const { routes, skipped } = await firstLoadRoutes(client, { tenantId: tenant.items[0]?.id });
    const measured = await measureFirstLoadJs(client, routes);
    const rows = [...firstLoadJsRows(measured), ...skipped.map((reason) => info("first-load JS, not measured", reason))];
    printTable(`First-load JS per route (gzip), budget ${FIRST_LOAD_JS_BUDGET_KB} kB`, rows);
    writeResults("js-budget", {
      kind: "js-budget-bench",
      at: new Date().toISOString(),
      machine: machineLoad(),
      registryRows: registry.length,
      budgetKb: FIRST_LOAD_JS_BUDGET_KB,
      routes: measured,
      skipped,
      rows,
    });
    return 0;
  } catch (error) {
    console.error(`[bench] the JS budget could not be measured: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await stack.stop();
  }
}

main().then((code) => process.exit(code));

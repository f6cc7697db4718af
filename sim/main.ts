import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { ApiServer } from "./api/server";
import { SCENARIO_NAMES, startFleet } from "./fleet/index";
import { writeKubeconfig } from "./kubeconfig";
import { LogStore } from "./logs/log-store";
import { ObjectStore } from "./store/object-store";

const USAGE = `usage: npm run sim -- [--tenants N] [--scenario demo|healthy|degraded|scale] [--seed S]
                      [--port P] [--host H] [--kubeconfig PATH] [--token T] [--export-registry PATH]
                      [--insecure-port P]   (unauthenticated listener for kubectl, which sends no token over http)
                      [--bookmark-interval-seconds S] [--compaction-interval-seconds S]`;

function fail(message: string): never {
  console.error(`sim: ${message}\n${USAGE}`);
  process.exit(2);
}

function intOption(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer >= ${min} (got "${value}")`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        tenants: { type: "string" },
        scenario: { type: "string" },
        seed: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        kubeconfig: { type: "string" },
        token: { type: "string" },
        "export-registry": { type: "string" },
        "insecure-port": { type: "string" },
        "bookmark-interval-seconds": { type: "string" },
        "compaction-interval-seconds": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const tenants = intOption("tenants", values.tenants, 40, 0);
  const seed = intOption("seed", values.seed, 1, 0);
  const port = intOption("port", values.port, 0, 0);
  const host = values.host ?? "127.0.0.1";
  const scenario = values.scenario ?? "demo";
  if (!(SCENARIO_NAMES as readonly string[]).includes(scenario)) fail(`unknown scenario "${scenario}" (one of: ${SCENARIO_NAMES.join(", ")})`);
  const insecurePort = values["insecure-port"] === undefined ? undefined : intOption("insecure-port", values["insecure-port"], 0, 0);
  // Tests that wait out a watch's silence timeout shorten the bookmark interval with it.
  const bookmarkIntervalSeconds = intOption("bookmark-interval-seconds", values["bookmark-interval-seconds"], 10, 1);
  // kube-apiserver compacts etcd every 5 minutes (--etcd-compaction-interval) to the revision it
  // saw at the previous run, so history lives one to two intervals.
  const compactionIntervalSeconds = intOption("compaction-interval-seconds", values["compaction-interval-seconds"], 300, 0);
  const kubeconfigPath = values.kubeconfig ?? ".data/kubeconfig";
  const token = values.token ?? randomBytes(24).toString("hex");

  // Deep-freezing every snapshot catches accidental mutation in development; at benchmark scale it costs ~1 s of startup.
  const store = new ObjectStore({ freeze: tenants <= 2000 });
  const logs = new LogStore();
  const fleet = await startFleet({ store, logs, tenants, scenario, seed });
  const api = new ApiServer({ store, logs, hooks: fleet.hooks, token, bookmarkIntervalMs: bookmarkIntervalSeconds * 1000 });
  const url = await api.listen(port, host);
  if (insecurePort !== undefined) {
    const insecureUrl = await api.listenInsecure(insecurePort, host);
    console.error(`sim: unauthenticated listener for kubectl at ${insecureUrl}`);
  }
  await writeKubeconfig(kubeconfigPath, url, token);
  if (values["export-registry"]) await writeFile(values["export-registry"], `${JSON.stringify(fleet.hooks.registryExport(), null, 2)}\n`);

  let compactTo = store.currentRv();
  const compaction =
    compactionIntervalSeconds > 0
      ? setInterval(() => {
          store.compact(compactTo);
          compactTo = store.currentRv();
        }, compactionIntervalSeconds * 1000)
      : undefined;
  compaction?.unref();

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    clearInterval(compaction);
    fleet.stop();
    // Open watches would keep close() waiting: the server drops them itself.
    api.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  console.log(`sim ready ${url} kubeconfig=${kubeconfigPath} tenants=${fleet.tenantCount}`);
}

main().catch((err) => {
  console.error("sim: failed to start:", err instanceof Error ? err.stack : err);
  process.exit(1);
});

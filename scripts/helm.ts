// `npm run helm -- <args>`: the Helm built from controlplane/helm (scripts/lib/helm.ts), building it
// first when the cache lacks it. `--build-only` only builds it (what `npm test` does before its
// suites); `npm run manifests` writes deploy/kustomize/fleetdeck.yaml from the chart.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

import { buildHelm, kustomizeManifest, renderKustomizeManifest } from "./lib/helm";
import { repoRoot } from "./lib/stack";

const args = process.argv.slice(2);
const { binDir, built } = await buildHelm();

if (args[0] === "--build-only") {
  console.log(`[helm] ${built ? "built into" : "already in"} ${binDir}`);
  process.exit(0);
}

if (args[0] === "--write-manifests") {
  const home = mkdtempSync(join(tmpdir(), "fleetdeck-helm-"));
  try {
    writeFileSync(kustomizeManifest, renderKustomizeManifest(home));
    console.log(`[helm] wrote ${relative(repoRoot, kustomizeManifest)}`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  process.exit(0);
}

const result = spawnSync(join(binDir, "helm"), args, { cwd: repoRoot, stdio: "inherit" });
process.exit(result.status ?? 1);

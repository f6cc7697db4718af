/**
 * The Go-tool cache (go-tools.ts) that the control plane and Helm share: one root, one key per
 * module, the key moving with go.mod, go.sum and the build flags, and a filled cache used as is.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { controlPlaneCache } from "./control-plane";
import { buildGoTools, goToolCache, goToolCacheRoot, type GoToolModule } from "./go-tools";
import { helmCache } from "./helm";

let dir: string;
let moduleDir: string;
let env: NodeJS.ProcessEnv;

function module(overrides: Partial<GoToolModule> = {}): GoToolModule {
  return { dir: moduleDir, title: "a test tool", keyPrefix: "tool-v1", binaries: ["tool"], buildFlags: ["-trimpath"], ...overrides };
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "fleetdeck-go-tools-"));
  moduleDir = path.join(dir, "module");
  mkdirSync(moduleDir);
  writeFileSync(path.join(moduleDir, "go.mod"), "module example/tool\n\ngo 1.26.0\n");
  writeFileSync(path.join(moduleDir, "go.sum"), "");
  env = { ...process.env, FLEETDECK_CONTROLPLANE_CACHE: path.join(dir, "cache") };
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("goToolCache", () => {
  it("puts each module under <root>/<prefix>-<hash>/bin", () => {
    const { key, binDir } = goToolCache(module(), env);
    expect(key).toMatch(/^tool-v1-[0-9a-f]{12}$/);
    expect(binDir).toBe(path.join(dir, "cache", key, "bin"));
    expect(goToolCacheRoot(env)).toBe(path.join(dir, "cache"));
  });

  it("changes the key with go.sum and with the build flags, and only then", () => {
    const first = goToolCache(module(), env).key;
    expect(goToolCache(module(), env).key).toBe(first);
    expect(goToolCache(module({ buildFlags: ["-trimpath", "-ldflags=-s"] }), env).key).not.toBe(first);
    writeFileSync(path.join(moduleDir, "go.sum"), "example.com/dep v1.0.0 h1:abc=\n");
    expect(goToolCache(module(), env).key).not.toBe(first);
  });

  it("gives Helm and the control plane keys of their own under one root", () => {
    const helm = helmCache(env);
    const controlPlane = controlPlaneCache(env);
    expect(helm.key).toMatch(/^helm-v4\.\d+\.\d+-/);
    expect(controlPlane.key).toMatch(/^k8s-v1\.\d+\.\d+-/);
    expect(path.dirname(path.dirname(helm.binDir))).toBe(path.dirname(path.dirname(controlPlane.binDir)));
  });
});

describe("buildGoTools", () => {
  it("uses a cache that holds every binary without running go", async () => {
    const before = process.env.FLEETDECK_CONTROLPLANE_CACHE;
    process.env.FLEETDECK_CONTROLPLANE_CACHE = env.FLEETDECK_CONTROLPLANE_CACHE;
    try {
      const { key, binDir } = goToolCache(module());
      mkdirSync(binDir, { recursive: true });
      writeFileSync(path.join(binDir, "tool"), "");
      // The module's go.mod names no tool, so a build would fail: success means nothing was built.
      await expect(buildGoTools(module(), () => {})).resolves.toEqual({ binDir, key, built: false });
      rmSync(path.join(binDir, "tool"));
      await expect(buildGoTools(module(), () => {})).rejects.toThrow(/go build of a test tool failed/);
    } finally {
      if (before === undefined) delete process.env.FLEETDECK_CONTROLPLANE_CACHE;
      else process.env.FLEETDECK_CONTROLPLANE_CACHE = before;
    }
  });
});

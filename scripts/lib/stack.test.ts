import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";

import { describe, expect, it } from "vitest";

import { DEMO_SIGN_INS, demoBanner } from "./demo-banner";
import { dataDirOf, PORTAL_HEAP_MB_DEFAULT, portalNodeOptions, relayPortalOutput, repoRoot, startPortalReplicas } from "./stack";

describe("portalNodeOptions", () => {
  it("caps the portal's old space by default and lets PORTAL_HEAP_MB change it", () => {
    expect(portalNodeOptions({})).toBe(`--max-old-space-size=${PORTAL_HEAP_MB_DEFAULT}`);
    expect(portalNodeOptions({ PORTAL_HEAP_MB: " 1024 " })).toBe("--max-old-space-size=1024");
  });

  it("puts the caller's NODE_OPTIONS last, so their own limit wins", () => {
    expect(portalNodeOptions({ NODE_OPTIONS: "--max-old-space-size=2048 --enable-source-maps" })).toBe(
      `--max-old-space-size=${PORTAL_HEAP_MB_DEFAULT} --max-old-space-size=2048 --enable-source-maps`,
    );
  });

  it("refuses a value that is not a sensible number of megabytes, saying what to do", () => {
    expect(() => portalNodeOptions({ PORTAL_HEAP_MB: "1g" })).toThrow(/whole number of megabytes.*got "1g".*Unset it/);
    expect(() => portalNodeOptions({ PORTAL_HEAP_MB: "64" })).toThrow(/at least 128/);
  });
});

describe("dataDirOf", () => {
  it("uses an absolute FLEETDECK_DATA_DIR as it is", () => {
    expect(dataDirOf({ FLEETDECK_DATA_DIR: "/srv/fleetdeck-data" })).toBe("/srv/fleetdeck-data");
  });

  it("puts a relative one, or the default, under the repository", () => {
    expect(dataDirOf({ FLEETDECK_DATA_DIR: "demo-data" })).toBe(join(repoRoot, "demo-data"));
    expect(dataDirOf({})).toBe(join(repoRoot, ".data"));
  });
});

describe("relayPortalOutput", () => {
  it("prints the portal's lines here, prefixed, and appends them to the log file as JSON lines", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fleetdeck-portal-log-"));
    try {
      const logFile = join(dir, "logs", "portal.log");
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      const printed: string[] = [];
      const relay = relayPortalOutput({ stdout, stderr }, { logFile }, (text) => void printed.push(text));
      stdout.write("▲ Next.js ready\n");
      stderr.write("Error: connect ECONNREFUSED\n");
      stdout.end();
      stderr.end();
      await new Promise((resolve) => setImmediate(resolve));
      await relay.close();
      expect(printed).toEqual(["[portal] ▲ Next.js ready\n", "[portal] Error: connect ECONNREFUSED\n"]);
      const lines = readFileSync(logFile, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line));
      expect(lines.map(({ stream, line }) => [stream, line])).toEqual([
        ["stdout", "▲ Next.js ready"],
        ["stderr", "Error: connect ECONNREFUSED"],
      ]);
      expect(Date.parse(lines[0].time)).not.toBeNaN();
      expect(relay.recent()).toContain("ECONNREFUSED");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps quiet on the terminal when asked, and still writes the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fleetdeck-portal-log-"));
    try {
      const logFile = join(dir, "portal.log");
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      const printed: string[] = [];
      const relay = relayPortalOutput({ stdout, stderr }, { logFile, quiet: true }, (text) => void printed.push(text));
      stdout.end("ready\n");
      stderr.end();
      await new Promise((resolve) => setImmediate(resolve));
      await relay.close();
      expect(printed).toEqual([]);
      expect(readFileSync(logFile, "utf8")).toContain('"line":"ready"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the demo's closing banner", () => {
  it("names the URL, every demo sign-in and the log, and the simulated cluster when there is one", () => {
    const text = demoBanner({
      portalUrl: "http://127.0.0.1:3000",
      portalLog: ".data/logs/portal.log",
      simulator: { url: "http://127.0.0.1:6443", portalKubeconfig: ".data/portal.kubeconfig", kubectlUrl: "http://127.0.0.1:6444" },
    }).join("\n");
    expect(text).toContain("the portal's kubeconfig: .data/portal.kubeconfig, its ServiceAccount");
    expect(text).toContain("Fleetdeck is running at http://127.0.0.1:3000");
    for (const [email] of DEMO_SIGN_INS) expect(text).toContain(email);
    expect(text).toContain("Portal log:        .data/logs/portal.log");
    expect(text).toContain("kubectl --server http://127.0.0.1:6444 get pods -A");
    expect(text).not.toContain("registry:import");
  });

  it("says how to import the tenant registry when the cluster comes from KUBECONFIG", () => {
    const text = demoBanner({ portalUrl: "http://127.0.0.1:3000", portalLog: ".data/logs/portal.log" }).join("\n");
    expect(text).toContain("no demo registry was imported");
    expect(text).toContain("http://127.0.0.1:3000/registry");
    expect(text).toContain("npm run registry:import -- <export.csv|export.json>");
    expect(text).not.toContain("Simulated cluster");
  });
});

describe("startPortalReplicas", () => {
  const envOf = (vars: Record<string, string>): NodeJS.ProcessEnv => ({ NODE_ENV: "test", ...vars });
  // Refused before any process starts: replicas on PGlite, or each with its own secret, would start
  // and then disagree about every session (scripts/portal-replicas.integration.test.ts runs real ones).
  it("refuses replicas without a shared PostgreSQL or without one session secret", async () => {
    await expect(startPortalReplicas(envOf({ NEXTAUTH_SECRET: "x".repeat(32) }), 2)).rejects.toThrow(/share a PostgreSQL database/);
    await expect(startPortalReplicas(envOf({ DATABASE_URL: "file:.data/pglite", NEXTAUTH_SECRET: "x".repeat(32) }), 2)).rejects.toThrow(
      /PGlite is one process's/,
    );
    await expect(startPortalReplicas(envOf({ DATABASE_URL: "postgres://u:p@127.0.0.1:1/db" }), 2)).rejects.toThrow(/one NEXTAUTH_SECRET/);
  });
});

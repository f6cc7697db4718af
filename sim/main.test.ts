import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

describe("sim CLI", () => {
  it("prints the ready line, writes the kubeconfig, requires the token and exits 0 on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-cli-"));
    const kubeconfig = join(dir, "kubeconfig");
    const registry = join(dir, "registry.json");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "sim/main.ts", "--tenants", "5", "--seed", "3", "--kubeconfig", kubeconfig, "--token", "cli-token", "--export-registry", registry],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      let stdout = "";
      child.stdout.on("data", (d) => (stdout += d));
      const start = Date.now();
      while (!stdout.includes("\n") && Date.now() - start < 30_000) await new Promise((r) => setTimeout(r, 50));
      const line = stdout.trim();
      const m = /^sim ready (http:\/\/127\.0\.0\.1:\d+) kubeconfig=(\S+) tenants=5$/.exec(line);
      expect(m, line).not.toBeNull();
      const url = m![1]!;
      expect(m![2]).toBe(kubeconfig);
      const config = parse(readFileSync(kubeconfig, "utf8"));
      expect(config["current-context"]).toBe(config.contexts[0].name);
      expect(config.clusters[0].cluster).toEqual({ server: url, "insecure-skip-tls-verify": true });
      expect(config.users[0].user.token).toBe("cli-token");
      expect(JSON.parse(readFileSync(registry, "utf8")).length).toBeGreaterThan(0);

      const anonymous = await fetch(`${url}/api/v1/namespaces`);
      expect(anonymous.status).toBe(401);
      expect((await anonymous.json()).reason).toBe("Unauthorized");
      const authed = await fetch(`${url}/api/v1/namespaces`, { headers: { authorization: "Bearer cli-token" } });
      expect(authed.status).toBe(200);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);

      const exit = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
      child.kill("SIGTERM");
      expect(await exit).toBe(0);
      expect(stdout.trim().split("\n")).toHaveLength(1);
    } finally {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects an unknown scenario", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "sim/main.ts", "--scenario", "nope"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    expect(code).toBe(2);
    expect(stderr).toContain('unknown scenario "nope"');
  });
});

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { clusterConnections } from "@/server/kube/client";

function kubeconfig(current: string, contexts: { name: string; cluster: string }[], clusters: { name: string; server: string }[]): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    "current-context": current,
    clusters: clusters.map(({ name, server }) => ({ name, cluster: { server, "insecure-skip-tls-verify": true } })),
    users: [{ name: "u", user: { token: "t" } }],
    contexts: contexts.map(({ name, cluster }) => ({ name, context: { cluster, user: "u" } })),
  });
}

function tempFile(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "fleetdeck-kubeconfig-")), name);
  writeFileSync(file, text);
  return file;
}

describe("clusterConnections", () => {
  const shared = tempFile(
    "config",
    kubeconfig(
      "east",
      [
        { name: "east", cluster: "c-east" },
        { name: "west", cluster: "c-west" },
      ],
      [
        { name: "c-east", server: "http://127.0.0.1:1001" },
        { name: "c-west", server: "http://127.0.0.1:1002" },
      ],
    ),
  );

  it("gives each context of one kubeconfig its own connection, so two clusters never share a current context", () => {
    const [east, west] = clusterConnections([
      { name: "east", kubeconfig: { kind: "file", path: shared }, context: "east" },
      { name: "west", kubeconfig: { kind: "file", path: shared }, context: "west" },
    ]);
    expect(east.name).toBe("east");
    expect(east.kubeConfig.getCurrentCluster()?.server).toBe("http://127.0.0.1:1001");
    expect(west.name).toBe("west");
    expect(west.kubeConfig.getCurrentCluster()?.server).toBe("http://127.0.0.1:1002");
  });

  it("takes a kubeconfig file's current context when the cluster names none", () => {
    const file = tempFile("eu-1.yaml", kubeconfig("only", [{ name: "only", cluster: "c" }], [{ name: "c", server: "http://127.0.0.1:1003" }]));
    const [eu] = clusterConnections([{ name: "eu-1", kubeconfig: { kind: "file", path: file } }]);
    expect(eu.kubeConfig.getCurrentCluster()?.server).toBe("http://127.0.0.1:1003");
  });

  it("names the contexts there are when a cluster's context is missing", () => {
    expect(() => clusterConnections([{ name: "north", kubeconfig: { kind: "file", path: shared }, context: "north" }])).toThrow(
      `cluster "north": the context "north" is not in ${shared} (contexts: "east", "west")`,
    );
    const noCurrent = tempFile("x.yaml", kubeconfig("", [{ name: "a", cluster: "c" }], [{ name: "c", server: "http://127.0.0.1:1" }]));
    expect(() => clusterConnections([{ name: "x", kubeconfig: { kind: "file", path: noCurrent } }])).toThrow(
      /cluster "x": .* has no current context \(contexts: "a"\)/,
    );
    const dangling = tempFile("y.yaml", kubeconfig("a", [{ name: "a", cluster: "gone" }], []));
    expect(() => clusterConnections([{ name: "y", kubeconfig: { kind: "file", path: dangling } }])).toThrow(/names the cluster "gone", which .* lacks/);
  });
});

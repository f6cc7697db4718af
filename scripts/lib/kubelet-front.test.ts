// The kubelet front without a cluster: a client plays the API server (CONNECT on the Unix socket,
// then TLS, then kubelet requests), a stub plays the API server's lists.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request, type RequestOptions } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeletFront, PodLogFiles, USED_BYTES_ANNOTATION, quantityBytes } from "./kubelet-front";

let dir: string;
let front: KubeletFront;
let logs: PodLogFiles;
const socketPath = () => path.join(dir, "egress.sock");

const lists: Record<string, unknown> = {
  "/api/v1/nodes": {
    items: [
      { metadata: { name: "kwok-node-1" }, status: { addresses: [{ type: "InternalIP", address: "192.0.2.1" }] } },
      { metadata: { name: "kwok-node-2" }, status: { addresses: [{ type: "InternalIP", address: "192.0.2.2" }] } },
    ],
  },
  [`/api/v1/pods?fieldSelector=${encodeURIComponent("spec.nodeName=kwok-node-2")}`]: {
    items: [
      {
        metadata: { name: "odoo-1", namespace: "tenant-a", uid: "u1" },
        spec: {
          nodeName: "kwok-node-2",
          containers: [{ name: "odoo" }],
          volumes: [{ name: "filestore", persistentVolumeClaim: { claimName: "odoo-filestore" } }],
        },
        status: { startTime: "2026-01-01T00:00:00Z" },
      },
    ],
  },
  "/api/v1/persistentvolumeclaims": {
    items: [
      {
        metadata: { name: "odoo-filestore", namespace: "tenant-a", annotations: { [USED_BYTES_ANNOTATION]: String(9 * 2 ** 30) } },
        status: { capacity: { storage: "10Gi" } },
      },
    ],
  },
};

// node:http with createConnection (and no agent) sends the request over the given socket, here the
// TLS one inside the tunnel (node:https would open its own connection).

/** A CONNECT to `address` over the socket, then TLS: the connection the API server's egress dialer makes. */
function tunnel(address: string): Promise<TLSSocket> {
  return new Promise((done, fail) => {
    const socket = connect(socketPath());
    socket.once("error", fail);
    socket.write(`CONNECT ${address}:10250 HTTP/1.1\r\nHost: ${address}:10250\r\n\r\n`);
    let head = "";
    const onData = (chunk: Buffer) => {
      head += chunk.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      socket.off("data", onData);
      if (!head.startsWith("HTTP/1.1 200")) return fail(new Error(head));
      const tls = tlsConnect({ socket, rejectUnauthorized: false });
      tls.once("secureConnect", () => done(tls));
      tls.once("error", fail);
    };
    socket.on("data", onData);
  });
}

async function get(address: string, pathname: string): Promise<{ status: number; body: string }> {
  const socket = await tunnel(address);
  const options: RequestOptions = { path: pathname, createConnection: () => socket };
  return new Promise((done, fail) => {
    request(options, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => done({ status: res.statusCode ?? 0, body }));
    })
      .on("error", fail)
      .end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "kubelet-front-"));
  const made = spawnSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      "key.pem",
      "-out",
      "cert.pem",
      "-subj",
      "/CN=kubelet",
      "-days",
      "1",
    ],
    { cwd: dir, encoding: "utf8" },
  );
  if (made.status !== 0) throw new Error(made.stderr);
  logs = new PodLogFiles(path.join(dir, "logs"));
  front = new KubeletFront({
    socketPath: socketPath(),
    tls: { key: readFileSync(path.join(dir, "key.pem")), cert: readFileSync(path.join(dir, "cert.pem")) },
    kwok: { host: "127.0.0.1", port: 1 },
    logs,
    apiGet: async (apiPath) => (apiPath in lists ? { status: 200, body: JSON.stringify(lists[apiPath]) } : { status: 404, body: "{}" }),
  });
  await front.listen();
});

afterAll(async () => {
  await front?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("kubelet front", () => {
  it("reads quantities as the API writes them", () => {
    expect(quantityBytes("10Gi")).toBe(10 * 2 ** 30);
    expect(quantityBytes("1500M")).toBe(1.5e9);
    expect(quantityBytes("12")).toBe(12);
    expect(quantityBytes("lots")).toBeUndefined();
  });

  it("answers stats/summary for the node whose address was dialled, with each claim's usage", async () => {
    const response = await get("192.0.2.2", "/stats/summary");
    expect(response.status).toBe(200);
    const summary = JSON.parse(response.body) as { node: { nodeName: string }; pods: { podRef: { name: string }; volume: Record<string, unknown>[] }[] };
    expect(summary.node.nodeName).toBe("kwok-node-2");
    expect(summary.pods.map((p) => p.podRef.name)).toEqual(["odoo-1"]);
    expect(summary.pods[0].volume).toEqual([
      expect.objectContaining({
        name: "filestore",
        pvcRef: { name: "odoo-filestore", namespace: "tenant-a" },
        capacityBytes: 10 * 2 ** 30,
        usedBytes: 9 * 2 ** 30,
      }),
    ]);
    expect((await get("192.0.2.9", "/stats/summary")).status).toBe(404);
  });

  it("serves container logs with tailLines, timestamps and previous, and refuses a previous container that never ran", async () => {
    const at = Date.parse("2026-01-01T10:00:00Z");
    logs.append(
      "tenant-a",
      "odoo-1",
      "odoo",
      [1, 2, 3].map((n) => ({ at: at + n * 1000, text: `line ${n}` })),
    );
    logs.rotate("tenant-a", "odoo-1", "odoo");
    logs.append("tenant-a", "odoo-1", "odoo", [{ at: at + 9000, text: "after restart" }]);
    expect((await get("192.0.2.2", "/containerLogs/tenant-a/odoo-1/odoo")).body).toBe("after restart\n");
    expect((await get("192.0.2.2", "/containerLogs/tenant-a/odoo-1/odoo?previous=true&tailLines=2")).body).toBe("line 2\nline 3\n");
    expect((await get("192.0.2.2", "/containerLogs/tenant-a/odoo-1/odoo?previous=true&tailLines=1&timestamps=true")).body).toBe(
      "2026-01-01T10:00:03.000Z line 3\n",
    );
    const never = await get("192.0.2.2", "/containerLogs/tenant-a/odoo-2/odoo?previous=true");
    expect(never.status).toBe(400);
    expect(never.body).toContain('previous terminated container "odoo" in pod "odoo-2" not found');
    expect(await get("192.0.2.2", "/containerLogs/tenant-a/odoo-3/odoo")).toEqual({ status: 200, body: "" });
  });

  it("follows a log: lines appended after the request reach the open response", async () => {
    const socket = await tunnel("192.0.2.2");
    let body = "";
    let req: ReturnType<typeof request> | undefined;
    // Appended only once the response is open, so the line can only come by following.
    await new Promise<void>((open) => {
      req = request({ path: "/containerLogs/tenant-a/odoo-9/odoo?follow=true", createConnection: () => socket }, (res) => {
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        open();
      });
      req.on("error", () => {});
      req.end();
    });
    expect(body).toBe("");
    logs.append("tenant-a", "odoo-9", "odoo", [{ at: Date.now(), text: "live line" }]);
    const deadline = Date.now() + 5000;
    while (!body.includes("live line") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    req!.destroy();
    expect(body).toBe("live line\n");
  });

  it("refuses anything but CONNECT on the socket", async () => {
    const answer = await new Promise<string>((done) => {
      const socket = connect(socketPath());
      let text = "";
      socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
      socket.on("close", () => done(text));
      socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    });
    expect(answer).toMatch(/^HTTP\/1\.1 405/);
  });
});

// The kubelet endpoints the portal reads, for the test control plane (never portal code).
//
// Why a front at all: the API server refuses to proxy to a node whose address is not global
// unicast (pkg/registry/core/node/strategy.go isProxyableHostname: "address not allowed"), so
// `nodes/<n>/proxy/stats/summary` cannot reach a kubelet on 127.0.0.1. Instead the nodes advertise
// documentation addresses (192.0.2.0/24, never routed) and the API server is given an egress
// selector (--egress-selector-config-file) whose "cluster" traffic (kubelets, proxy subresources)
// goes through an HTTP CONNECT proxy on a Unix socket: this. Nothing listens on a new address and no
// interface is changed. The API server does not verify kubelet certificates here (no
// --kubelet-certificate-authority), as on most test clusters.
//
// Behind the CONNECT it plays the kubelet's HTTPS server: `/stats/summary` (volume usage from the
// claims' `fleetdeck.test/used-bytes` annotation, capacity from their status) and
// `/containerLogs/<ns>/<pod>/<container>` (previous, follow, tailLines, timestamps, sinceSeconds,
// limitBytes) from the log files of PodLogFiles. kwok has no summary endpoint, and its file logs are
// one static file per selector; everything else (exec, attach, port-forward, metrics) is passed on to
// kwok's own server. A CONNECT to a pod's address (services/proxy, pods/proxy) gets what the Odoo
// container would answer while the pod is Ready (its health route), as the simulator's proxy does.
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, appendFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { request as httpsRequest } from "node:https";
import { createServer as createNetServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { TLSSocket } from "node:tls";

/** Bytes used on a claim's volume, as the kubelet's summary reports them (test-only annotation). */
export const USED_BYTES_ANNOTATION = "fleetdeck.test/used-bytes";
/** The documentation network (RFC 5737) the kwok nodes advertise: global unicast, never routed. */
export const NODE_ADDRESS_PREFIX = "192.0.2.";

export interface LogLine {
  at: number;
  text: string;
}

/** Container logs as files, one per container instance: `<ns>_<pod>_<container>/{current,previous}.log`. */
export class PodLogFiles {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private folder(namespace: string, pod: string, container: string): string {
    return join(this.dir, `${namespace}_${pod}_${container}`);
  }

  file(namespace: string, pod: string, container: string, previous = false): string {
    return join(this.folder(namespace, pod, container), previous ? "previous.log" : "current.log");
  }

  /** Lines are kept as the CRI writes them: an RFC 3339 timestamp, a space, the text. */
  append(namespace: string, pod: string, container: string, lines: LogLine[], previous = false): void {
    mkdirSync(this.folder(namespace, pod, container), { recursive: true });
    appendFileSync(this.file(namespace, pod, container, previous), lines.map((l) => `${new Date(l.at).toISOString()} ${l.text}\n`).join(""));
  }

  /** The running instance became the previous one (a restart): the current file starts empty. */
  rotate(namespace: string, pod: string, container: string): void {
    const current = this.file(namespace, pod, container);
    if (!existsSync(current)) return;
    writeFileSync(this.file(namespace, pod, container, true), readFileSync(current));
    writeFileSync(current, "");
  }

  has(namespace: string, pod: string, container: string): boolean {
    return existsSync(this.file(namespace, pod, container));
  }
}

export interface KubeletFrontOptions {
  socketPath: string;
  tls: { key: Buffer; cert: Buffer };
  /** kwok's HTTPS server, for every path the front does not answer itself. */
  kwok: { host: string; port: number };
  logs: PodLogFiles;
  /** GET on the API server (admin), for the pods and claims of a node. */
  apiGet: (path: string) => Promise<{ status: number; body: string }>;
}

interface PodObject {
  metadata: { name: string; namespace: string; uid: string; creationTimestamp?: string; deletionTimestamp?: string };
  spec: {
    nodeName?: string;
    volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[];
    containers: { name: string; ports?: { containerPort: number }[] }[];
  };
  status?: { startTime?: string; conditions?: { type: string; status: string }[] };
}

interface ClaimObject {
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  status?: { capacity?: { storage?: string } };
}

const BINARY_SUFFIXES: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

export function quantityBytes(quantity: string | undefined): number | undefined {
  const match = quantity ? /^(\d+(?:\.\d+)?)([KMGT]i?|k)?$/.exec(quantity) : null;
  if (!match) return undefined;
  return Math.round(Number(match[1]) * (match[2] ? BINARY_SUFFIXES[match[2]] : 1));
}

export class KubeletFront {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  /** Which node each tunnelled TLS connection was opened for. */
  private readonly nodeOfSocket = new WeakMap<object, string>();
  private readonly http = createHttpServer((req, res) => void this.handle(req, res));
  /** Which pod address (ip:port) each plain tunnelled connection was opened for. */
  private readonly addressOfSocket = new WeakMap<object, string>();
  private readonly instances = createHttpServer((req, res) => void this.instance(req, res));
  private readonly follows = new Set<() => void>();

  constructor(private readonly options: KubeletFrontOptions) {}

  async listen(): Promise<void> {
    rmSync(this.options.socketPath, { force: true });
    const server = createNetServer((socket) => this.tunnel(socket));
    await new Promise<void>((done, fail) => {
      server.once("error", fail);
      server.listen(this.options.socketPath, () => done());
    });
    this.server = server;
  }

  async close(): Promise<void> {
    for (const stop of this.follows) stop();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
    rmSync(this.options.socketPath, { force: true });
  }

  /** `CONNECT 192.0.2.7:10250 HTTP/1.1` … blank line; then TLS from the API server. */
  private tunnel(socket: Socket): void {
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) {
        if (head.length > 16_384) socket.destroy();
        return;
      }
      socket.off("data", onData);
      const match = /^CONNECT (\S+):(\d+) HTTP\/1\.[01]\r\n/.exec(head.subarray(0, end + 2).toString("latin1"));
      const rest = head.subarray(end + 4);
      if (!match) {
        socket.end("HTTP/1.1 405 Method Not Allowed\r\n\r\n");
        return;
      }
      socket.write("HTTP/1.1 200 Connection established\r\n\r\n");
      if (rest.length > 0) socket.unshift(rest);
      if (!match[1].startsWith(NODE_ADDRESS_PREFIX)) {
        // A pod's address (services/proxy, pods/proxy): plain HTTP to what would be Odoo.
        this.addressOfSocket.set(socket, `${match[1]}:${match[2]}`);
        this.instances.emit("connection", socket);
        return;
      }
      const tls = new TLSSocket(socket, { isServer: true, key: this.options.tls.key, cert: this.options.tls.cert, ALPNProtocols: ["http/1.1"] });
      tls.on("error", () => socket.destroy());
      this.nodeOfSocket.set(tls, match[1]);
      this.http.emit("connection", tls);
    };
    socket.on("data", onData);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "https://kubelet");
    try {
      const address = this.nodeOfSocket.get(req.socket);
      if (req.method === "GET" && url.pathname === "/stats/summary" && address) return await this.summary(address, res);
      const logs = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
      if (req.method === "GET" && logs)
        return this.containerLogs(decodeURIComponent(logs[1]), decodeURIComponent(logs[2]), decodeURIComponent(logs[3]), url, res);
      this.passToKwok(req, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * What the Odoo container at a pod's address answers (kwok runs no process): its health route
   * and login page while the pod is Running and Ready, as the simulator's service proxy does, and a
   * closed connection otherwise (the API server then answers 503, as for a dead backend).
   */
  private async instance(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const [ip, port] = (this.addressOfSocket.get(req.socket) ?? ":").split(":");
    const pods = JSON.parse((await this.options.apiGet(`/api/v1/pods?fieldSelector=${encodeURIComponent(`status.podIP=${ip}`)}`)).body) as {
      items: PodObject[];
    };
    const serving = pods.items.find(
      (pod) =>
        !pod.metadata.deletionTimestamp &&
        pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") &&
        pod.spec.containers.some((c) => (c.ports ?? []).some((p) => String(p.containerPort) === port)),
    );
    if (!serving) {
      req.socket.destroy();
      return;
    }
    const path = new URL(req.url ?? "/", "http://odoo").pathname.replace(/^\/+/, "");
    if (path === "web/health") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "pass" }));
    } else if (path === "" || path === "web") {
      res.writeHead(303, { location: "/web/login", "content-type": "text/html; charset=utf-8" }).end('<a href="/web/login">/web/login</a>');
    } else {
      res.writeHead(404, { "content-type": "text/html; charset=utf-8" }).end("<!doctype html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n");
    }
  }

  /** The node is found by the address the API server dialled (each node advertises its own). */
  private async summary(address: string, res: ServerResponse): Promise<void> {
    const nodes = JSON.parse((await this.options.apiGet("/api/v1/nodes")).body) as {
      items: { metadata: { name: string }; status?: { addresses?: { type: string; address: string }[] } }[];
    };
    const node = nodes.items.find((n) => n.status?.addresses?.some((a) => a.type === "InternalIP" && a.address === address))?.metadata.name;
    if (!node) {
      res.writeHead(404, { "content-type": "text/plain" }).end(`no node has the address ${address}`);
      return;
    }
    const [podList, claimList] = await Promise.all([
      this.options.apiGet(`/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${node}`)}`),
      this.options.apiGet("/api/v1/persistentvolumeclaims"),
    ]);
    const pods = (JSON.parse(podList.body) as { items: PodObject[] }).items;
    const claims = new Map((JSON.parse(claimList.body) as { items: ClaimObject[] }).items.map((c) => [`${c.metadata.namespace}/${c.metadata.name}`, c]));
    const now = new Date().toISOString();
    const summary = {
      node: { nodeName: node, systemContainers: [], startTime: now },
      pods: pods.map((pod) => ({
        podRef: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
        startTime: pod.status?.startTime ?? pod.metadata.creationTimestamp,
        containers: pod.spec.containers.map((c) => ({ name: c.name, startTime: pod.status?.startTime })),
        volume: (pod.spec.volumes ?? []).flatMap((volume) => {
          const claimName = volume.persistentVolumeClaim?.claimName;
          const claim = claimName ? claims.get(`${pod.metadata.namespace}/${claimName}`) : undefined;
          const capacityBytes = quantityBytes(claim?.status?.capacity?.storage);
          if (!claim || capacityBytes === undefined) return [];
          const usedBytes = Math.min(capacityBytes, Number(claim.metadata.annotations?.[USED_BYTES_ANNOTATION] ?? 0));
          return [
            {
              time: now,
              name: volume.name,
              pvcRef: { name: claimName, namespace: pod.metadata.namespace },
              capacityBytes,
              usedBytes,
              availableBytes: capacityBytes - usedBytes,
              inodes: 6_553_600,
              inodesUsed: 41_000,
              inodesFree: 6_553_600 - 41_000,
            },
          ];
        }),
      })),
    };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(summary));
  }

  private containerLogs(namespace: string, pod: string, container: string, url: URL, res: ServerResponse): void {
    const query = url.searchParams;
    const previous = query.get("previous") === "true";
    const file = this.options.logs.file(namespace, pod, container, previous);
    if (!existsSync(file)) {
      if (previous) {
        res.writeHead(400, { "content-type": "text/plain" }).end(`previous terminated container "${container}" in pod "${pod}" not found`);
        return;
      }
      // A container that wrote nothing yet: an empty log (and a file to follow).
      this.options.logs.append(namespace, pod, container, []);
    }
    const timestamps = query.get("timestamps") === "true";
    const tailLines = query.has("tailLines") ? Number(query.get("tailLines")) : undefined;
    const sinceSeconds = query.has("sinceSeconds") ? Number(query.get("sinceSeconds")) : undefined;
    const sinceTime = query.get("sinceTime") ?? undefined;
    const limitBytes = query.has("limitBytes") ? Number(query.get("limitBytes")) : undefined;
    const since = sinceSeconds !== undefined ? Date.now() - sinceSeconds * 1000 : sinceTime ? Date.parse(sinceTime) : undefined;
    const format = (line: string) => {
      const space = line.indexOf(" ");
      if (since !== undefined && Date.parse(line.slice(0, space)) < since) return undefined;
      return timestamps ? line : line.slice(space + 1);
    };
    const content = readFileSync(file, "utf8");
    let lines = content.split("\n").filter((l) => l.length > 0);
    if (tailLines !== undefined) lines = lines.slice(Math.max(0, lines.length - tailLines));
    let body = lines
      .map(format)
      .filter((l) => l !== undefined)
      .map((l) => `${l}\n`)
      .join("");
    if (limitBytes !== undefined) body = Buffer.from(body).subarray(0, limitBytes).toString();
    res.writeHead(200, { "content-type": "text/plain" });
    res.write(body);
    if (query.get("follow") !== "true" || previous) {
      res.end();
      return;
    }
    // Follow: what is appended to the file from here on, until the client goes away.
    let offset = Buffer.byteLength(content);
    let partial = "";
    const timer = setInterval(() => {
      if (!existsSync(file)) return;
      const size = statSync(file).size;
      if (size < offset) offset = 0; // rotated
      if (size === offset) return;
      const stream = createReadStream(file, { start: offset, end: size - 1, encoding: "utf8" });
      offset = size;
      stream.on("data", (chunk) => {
        const text = partial + String(chunk);
        const complete = text.split("\n");
        partial = complete.pop() ?? "";
        for (const line of complete) {
          const shown = line ? format(line) : undefined;
          if (shown !== undefined) res.write(`${shown}\n`);
        }
      });
    }, 250);
    const stop = () => {
      clearInterval(timer);
      this.follows.delete(stop);
      res.end();
    };
    this.follows.add(stop);
    res.once("close", stop);
  }

  private passToKwok(req: IncomingMessage, res: ServerResponse): void {
    const upstream = httpsRequest(
      { host: this.options.kwok.host, port: this.options.kwok.port, method: req.method, path: req.url, headers: req.headers, rejectUnauthorized: false },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on("error", (error) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(error.message);
    });
    req.pipe(upstream);
  }
}

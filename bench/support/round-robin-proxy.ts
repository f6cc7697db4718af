// A small reverse proxy on loopback for the replica benchmark: each request goes to the next
// upstream in turn (round robin) over keep-alive connections, as a Service or an ingress spreads
// requests over a Deployment's pods. The benchmark runs it as a process of its own
// (startRoundRobinProxy), so its CPU time is its own line in the profile. `GET /_proxy/counts`
// answers how many requests each upstream got.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { repoRoot } from "../../scripts/lib/stack";

/** Connection-level headers: they describe one hop, so neither side's are passed on (RFC 9110 §7.6.1). */
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"];

function withoutHopHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const copy: http.OutgoingHttpHeaders = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  return copy;
}

export function createRoundRobinProxy(upstreams: readonly string[]): http.Server {
  if (upstreams.length === 0) throw new Error("a proxy needs at least one upstream");
  const targets = upstreams.map((upstream) => ({ url: new URL(upstream), agent: new http.Agent({ keepAlive: true, maxSockets: 512 }), requests: 0 }));
  let next = 0;
  return http.createServer((request, response) => {
    if (request.url === "/_proxy/counts") {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(targets.map((target) => ({ upstream: target.url.origin, requests: target.requests }))));
      return;
    }
    const target = targets[next];
    next = (next + 1) % targets.length;
    target.requests += 1;
    const forwarded = http.request(
      {
        hostname: target.url.hostname,
        port: target.url.port,
        method: request.method,
        path: request.url,
        headers: { ...withoutHopHeaders(request.headers), host: target.url.host },
        agent: target.agent,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, withoutHopHeaders(answer.headers));
        answer.pipe(response);
      },
    );
    forwarded.on("error", (error) => {
      if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
      response.end(`upstream ${target.url.origin}: ${error.message}`);
    });
    request.pipe(forwarded);
  });
}

export interface RoundRobinProxy {
  url: string;
  process: ChildProcess;
  /** Requests each upstream got so far, in the order given. */
  counts(): Promise<{ upstream: string; requests: number }[]>;
  stop(): void;
}

/** Starts the proxy as a child process on a free loopback port in front of `upstreams`. */
export async function startRoundRobinProxy(upstreams: readonly string[]): Promise<RoundRobinProxy> {
  const child = spawn(
    join(repoRoot, "node_modules/.bin/tsx"),
    [new URL(import.meta.url).pathname, ...upstreams.flatMap((upstream) => ["--upstream", upstream])],
    {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /proxy ready (\S+)/.exec(output);
      if (ready) resolve(ready[1]);
    });
    child.once("exit", (code) => reject(new Error(`the proxy exited with ${code} before it was ready: ${output}`)));
  });
  return {
    url,
    process: child,
    counts: async () => (await (await fetch(`${url}/_proxy/counts`)).json()) as { upstream: string; requests: number }[],
    stop: () => void child.kill("SIGTERM"),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { upstream: { type: "string", multiple: true, default: [] }, port: { type: "string", default: "0" } } });
  const server = createRoundRobinProxy(values.upstream);
  server.keepAliveTimeout = 65_000;
  server.listen(Number(values.port), "127.0.0.1", () => {
    const address = server.address();
    console.log(`proxy ready http://127.0.0.1:${typeof address === "object" && address ? address.port : values.port}`);
  });
  process.once("SIGTERM", () => process.exit(0));
}

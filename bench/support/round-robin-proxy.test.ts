import http from "node:http";
import type { AddressInfo } from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { createRoundRobinProxy } from "./round-robin-proxy";

const servers: http.Server[] = [];

async function listen(server: http.Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An upstream that answers its name and what it was sent. */
function upstream(name: string): http.Server {
  return http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      response.writeHead(200, { "content-type": "application/json", "x-upstream": name });
      response.end(JSON.stringify({ name, method: request.method, url: request.url, host: request.headers.host, cookie: request.headers.cookie, body }));
    });
  });
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe("createRoundRobinProxy", () => {
  it("hands requests to each upstream in turn with their method, path, cookies and body, and counts them", async () => {
    const upstreams = [await listen(upstream("a")), await listen(upstream("b"))];
    const proxy = await listen(createRoundRobinProxy(upstreams));
    const answers = [];
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${proxy}/api/trpc/tenants.list?input=${i}`, { method: "POST", headers: { cookie: "s=1" }, body: `n${i}` });
      answers.push((await response.json()) as { name: string; url: string; host: string; cookie: string; body: string });
    }
    expect(answers.map((answer) => answer.name)).toEqual(["a", "b", "a", "b"]);
    expect(answers[1]).toMatchObject({ url: "/api/trpc/tenants.list?input=1", host: new URL(upstreams[1]).host, cookie: "s=1", body: "n1" });
    expect(await (await fetch(`${proxy}/_proxy/counts`)).json()).toEqual(upstreams.map((url) => ({ upstream: url, requests: 2 })));
  });

  it("answers 502 naming the upstream that cannot be reached", async () => {
    const gone = await listen(upstream("gone"));
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const proxy = await listen(createRoundRobinProxy([gone]));
    const response = await fetch(`${proxy}/api/health`);
    expect(response.status).toBe(502);
    expect(await response.text()).toContain(`upstream ${gone}`);
  });
});

import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";

import type { TRPCContext } from "@/server/trpc/init";
import { createTRPCRouter, requirePermission } from "@/server/trpc/init";

// A subscription with nothing to say, served the way the route handler serves every procedure.
const quietRouter = createTRPCRouter({
  quiet: requirePermission("fleet:read").subscription(async function* ({ signal }) {
    await new Promise<void>((resolve) => signal?.addEventListener("abort", () => resolve(), { once: true }));
    yield "never reached while the stream is open";
  }),
});

const context: TRPCContext = {
  session: { user: { id: "00000000-0000-4000-8000-000000000001", email: "viewer@test.local", name: "viewer", role: "viewer" } },
  headers: new Headers(),
  db: {} as TRPCContext["db"],
};

describe("subscription keep-alive", () => {
  it("pings a quiet stream within 4 s and tells the browser to reconnect after 10 s without a message", async () => {
    const abort = new AbortController();
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request("http://127.0.0.1/api/trpc/quiet", { headers: { accept: "text/event-stream" }, signal: abort.signal }),
      router: quietRouter,
      createContext: () => context,
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const openedAt = Date.now();
    let received = "";
    try {
      while (!received.includes("event: ping")) {
        const { value, done } = await reader.read();
        if (done) break;
        received += value;
      }
    } finally {
      abort.abort();
      await reader.cancel().catch(() => undefined);
    }
    expect(received).toMatch(/event: connected\ndata: \{"reconnectAfterInactivityMs":10000\}/);
    expect(received).toContain("event: ping");
    expect(Date.now() - openedAt).toBeLessThan(5_500);
  }, 15_000);
});

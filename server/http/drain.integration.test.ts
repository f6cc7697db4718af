/**
 * Draining on SIGTERM (drain.ts) with the real tRPC fetch adapter: readiness turns false first while
 * requests are still answered; then new requests are refused with 503 and an open SSE subscription
 * ends without tRPC's `return` event (so the browser's EventSource reconnects and resumes); the
 * verifications are handed back only after that, and the drain waits for a request still in flight.
 */
import { initTRPC, tracked } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";

import { Drain, drainAware, drainProcess, drainRefusal, processDrain } from "./drain";
import { checkReadiness } from "./readiness";

const t = initTRPC.create();
let releaseSlow: (() => void) | undefined;
const router = t.router({
  hello: t.procedure.query(() => "hello"),
  slow: t.procedure.query(() => new Promise<string>((resolve) => (releaseSlow = () => resolve("slow")))),
  ticks: t.procedure.subscription(async function* ({ signal }) {
    for (let tick = 1; !signal?.aborted; tick++) {
      yield tracked(String(tick), tick);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }),
});

function portal(drain: Drain) {
  return drainAware(
    drain,
    (request) => fetchRequestHandler({ endpoint: "/trpc", req: request, router, createContext: () => ({}) }),
    () => drainRefusal({ error: { message: "shutting down" } }),
  );
}

/** Reads SSE frames from a response until `until` says stop or the stream ends. */
async function readEvents(reader: ReadableStreamDefaultReader<Uint8Array>, until: (text: string) => boolean): Promise<{ text: string; ended: boolean }> {
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { text, ended: true };
    text += decoder.decode(value);
    if (until(text)) return { text, ended: false };
  }
}

function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  return new Promise((resolve) => setImmediate(() => setImmediate(() => resolve(done))));
}

describe("draining", () => {
  it("turns readiness false first, then refuses requests and ends streams, then hands back, then waits for requests in flight", async () => {
    const drain = processDrain();
    const handler = portal(drain);
    const order: string[] = [];

    const subscription = await handler(new Request("http://portal/trpc/ticks"));
    expect(subscription.headers.get("content-type")).toContain("text/event-stream");
    const reader = subscription.body!.getReader();
    expect((await readEvents(reader, (text) => text.includes("id: 2"))).ended).toBe(false);

    let endDelay: () => void = () => {};
    const draining = drainProcess({
      drain,
      delayMs: 5_000,
      inFlightTimeoutMs: 600_000,
      sleep: (ms) => new Promise<void>((resolve) => (ms === 5_000 ? (endDelay = resolve) : undefined)),
      handBack: async () => order.push(`hand back (streams ended: ${drain.streamSignal.aborted})`),
      log: () => {},
    });

    // 1-2: not ready, still serving, the stream still flowing.
    expect(await checkReadiness()).toEqual({ ready: false, waitingFor: ["nothing: this process is shutting down"] });
    const during = await handler(new Request("http://portal/trpc/hello"));
    expect(during.status).toBe(200);
    expect((await readEvents(reader, (text) => text.includes("id: 4"))).ended).toBe(false);
    const slow = handler(new Request("http://portal/trpc/slow"));
    await new Promise((resolve) => setImmediate(resolve));

    // 3: refused and ended, without a `return` event.
    endDelay();
    const rest = await readEvents(reader, () => false);
    expect(rest.ended).toBe(true);
    expect(rest.text).not.toContain("event: return");
    const refused = await handler(new Request("http://portal/trpc/hello"));
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(order).toEqual(["hand back (streams ended: true)"]);

    // 5: the drain waits for the request it let in before refusing.
    expect(await settled(draining)).toBe(false);
    releaseSlow!();
    expect((await slow).status).toBe(200);
    await draining;
    expect(drain.requestsInFlight).toBe(0);
  });

  it("a request body is left alone: only GET requests get the drain's signal", async () => {
    const drain = new Drain();
    let seen: Request | undefined;
    const handler = drainAware(
      drain,
      async (request) => {
        seen = request;
        return new Response(await request.text());
      },
      () => drainRefusal({}),
    );
    const posted = await handler(new Request("http://portal/trpc/x", { method: "POST", body: "payload" }));
    expect(await posted.text()).toBe("payload");
    await handler(new Request("http://portal/trpc/x"));
    drain.refuseAndEndStreams();
    expect(seen!.signal.aborted).toBe(true);
  });
});

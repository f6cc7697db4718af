import { describe, expect, it } from "vitest";
import { EventQueue } from "./event-queue";
import type { LogLine, LogStreamEvent } from "@/lib/logs/types";

const line = (n: number): LogLine => ({ id: `2026-11-23T10:00:00Z#p/c#${n}`, ts: "2026-11-23T10:00:00Z", pod: "p", container: "c", text: `line ${n}` });
const lines = (from: number, count: number) => Array.from({ length: count }, (_, i) => line(from + i));

async function take(queue: EventQueue, count: number, signal = new AbortController().signal): Promise<LogStreamEvent[]> {
  const out: LogStreamEvent[] = [];
  for await (const event of queue.drain(signal)) {
    out.push(event);
    if (out.length === count) break;
  }
  return out;
}

describe("EventQueue", () => {
  it("cuts a burst into batches of at most maxLines, in order", async () => {
    const queue = new EventQueue({ maxLines: 500, maxDelayMs: 50 });
    queue.pushLines(lines(0, 1200));
    queue.close();
    const events = await take(queue, 10);
    expect(events.map((e) => (e.type === "lines" ? e.lines.length : -1))).toEqual([500, 500, 200]);
    expect(events.flatMap((e) => (e.type === "lines" ? e.lines.map((l) => l.text) : []))).toEqual(lines(0, 1200).map((l) => l.text));
  });

  it("folds lines pushed within maxDelayMs into one event, and holds a partial batch no longer than that", async () => {
    const queue = new EventQueue({ maxLines: 500, maxDelayMs: 40 });
    const started = Date.now();
    queue.pushLines(lines(0, 3));
    setTimeout(() => queue.pushLines(lines(3, 2)), 10);
    const [first] = await take(queue, 1);
    const waited = Date.now() - started;
    expect(first).toMatchObject({ type: "lines" });
    expect((first as { lines: LogLine[] }).lines).toHaveLength(5);
    expect(waited).toBeGreaterThanOrEqual(35);
    expect(waited).toBeLessThan(400);
  });

  it("delivers a status right behind the lines before it, without waiting for the batch window", async () => {
    const queue = new EventQueue({ maxLines: 500, maxDelayMs: 10_000 });
    const started = Date.now();
    queue.pushLines(lines(0, 2));
    queue.pushStatus({ type: "status", state: "reconnecting", message: "lost" });
    const events = await take(queue, 2);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(events).toEqual([
      { type: "lines", lines: lines(0, 2) },
      { type: "status", state: "reconnecting", message: "lost" },
    ]);
  });

  it("stops when the signal aborts", async () => {
    const queue = new EventQueue();
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 20);
    expect(await take(queue, 1, abort.signal)).toEqual([]);
  });
});

import "server-only";

import type { LogLine, LogStreamEvent } from "@/lib/logs/types";

/**
 * Hands events from push-style producers (the shared upstreams) to one pull-style consumer (a
 * subscription), folding consecutive lines into batches of at most `maxLines`, held at most
 * `maxDelayMs`: one SSE message per batch instead of one per line.
 */
export class EventQueue {
  private readonly items: { event: LogStreamEvent; at: number }[] = [];
  private wake: (() => void) | undefined;
  private closed = false;
  /** Lines waiting for the consumer. */
  queuedLines = 0;

  constructor(private readonly batching: { maxLines: number; maxDelayMs: number } = { maxLines: 500, maxDelayMs: 50 }) {}

  pushLines(lines: LogLine[]): void {
    if (lines.length === 0 || this.closed) return;
    this.queuedLines += lines.length;
    let rest = lines;
    while (rest.length > 0) {
      const last = this.items.at(-1)?.event;
      if (last?.type === "lines" && last.lines.length < this.batching.maxLines) {
        const room = this.batching.maxLines - last.lines.length;
        last.lines.push(...rest.slice(0, room));
        rest = rest.slice(room);
      } else {
        const take = rest.slice(0, this.batching.maxLines);
        rest = rest.slice(take.length);
        this.items.push({ event: { type: "lines", lines: take }, at: Date.now() });
      }
    }
    this.notify();
  }

  pushStatus(event: Extract<LogStreamEvent, { type: "status" }>): void {
    if (this.closed) return;
    this.items.push({ event, at: Date.now() });
    this.notify();
  }

  /** No more events after those queued. */
  close(): void {
    this.closed = true;
    this.notify();
  }

  async *drain(signal: AbortSignal): AsyncGenerator<LogStreamEvent> {
    const onAbort = () => this.notify();
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      while (!signal.aborted) {
        const head = this.items[0];
        if (!head) {
          if (this.closed) return;
          await new Promise<void>((resolve) => (this.wake = resolve));
          continue;
        }
        const wait = head.at + this.batching.maxDelayMs - Date.now();
        if (head.event.type === "lines" && head.event.lines.length < this.batching.maxLines && this.items.length === 1 && wait > 0 && !this.closed) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, wait);
            // Only a full batch, a status behind it or the end cut the wait short.
            const check = () => {
              const first = this.items[0]?.event;
              if (signal.aborted || this.closed || this.items.length > 1 || (first?.type === "lines" && first.lines.length >= this.batching.maxLines)) {
                clearTimeout(timer);
                resolve();
              } else {
                this.wake = check;
              }
            };
            this.wake = check;
          });
          continue;
        }
        this.items.shift();
        if (head.event.type === "lines") this.queuedLines -= head.event.lines.length;
        yield head.event;
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

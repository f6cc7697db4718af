// Line-oriented readers over fetch response bodies: Kubernetes watches (one JSON object per line)
// and tRPC subscriptions (server-sent events). Each item carries its arrival time, which is what
// the latency figures are made of.

export interface Arrival<T> {
  at: number; // performance.now() when the item was fully received
  value: T;
}

export async function* readLines(body: ReadableStream<Uint8Array>): AsyncGenerator<Arrival<string>> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    const at = performance.now();
    let newline = buffer.indexOf("\n");
    while (newline >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, "");
      buffer = buffer.slice(newline + 1);
      yield { at, value: line };
      newline = buffer.indexOf("\n");
    }
  }
}

export interface ServerSentEvent {
  event: string; // "message" when the stream named none
  id?: string;
  data: string;
}

export async function* readServerSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<Arrival<ServerSentEvent>> {
  let event: ServerSentEvent = { event: "message", data: "" };
  let hasData = false;
  for await (const { at, value: line } of readLines(body)) {
    if (line === "") {
      if (hasData) yield { at, value: event };
      event = { event: "message", data: "" };
      hasData = false;
      continue;
    }
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event.event = value;
    else if (field === "id") event.id = value;
    else if (field === "data") {
      event.data = hasData ? `${event.data}\n${value}` : value;
      hasData = true;
    }
  }
}

/**
 * Collects a stream's items in the background and lets the caller wait for the first item after a
 * moment that matches a predicate.
 */
export class ArrivalLog<T> {
  readonly items: Arrival<T>[] = [];
  private waiters: (() => void)[] = [];
  ended = false;
  error: unknown;

  constructor(source: AsyncIterable<Arrival<T>>) {
    void (async () => {
      try {
        for await (const item of source) {
          this.items.push(item);
          this.wake();
        }
      } catch (error) {
        this.error = error;
      } finally {
        this.ended = true;
        this.wake();
      }
    })();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** The first item that arrived at or after `since` and matches, or undefined on timeout/end. */
  async waitFor(since: number, match: (value: T) => boolean, timeoutMs: number): Promise<Arrival<T> | undefined> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = this.items.find((item) => item.at >= since && match(item.value));
      if (found) return found;
      const left = deadline - performance.now();
      if (this.ended || left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

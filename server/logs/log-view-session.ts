import "server-only";

import { setMaxListeners } from "node:events";
import { EventQueue } from "./event-queue";
import { comparePosition, decodeCursor, encodeMergedCursor, encodeSingleCursor, type ContainerPosition, type StreamCursor } from "./log-cursor";
import { normalizeTimestamp, truncateToSecond } from "./log-line";
import { capTailLines } from "@/lib/logs/log-request";
import { containerKey, positioned, type PositionedLine, type SharedUpstream, type UpstreamListener } from "./shared-upstream";
import type { LogLine, LogStreamEvent, LogStreamState } from "@/lib/logs/types";
import type { ContainerRef, UpstreamEvent, UpstreamReadOptions } from "./upstream-stream";
import { abortableSleep } from "@/server/abortable-sleep";

/**
 * One subscriber's log view: which containers, the history it asked for (tail / since / resume
 * position) taken from the shared buffers and, for what is older, from the API, then the live
 * lines, merged by time when there are several containers. Every event carries a cursor id.
 */

export interface SelectedContainer {
  ref: ContainerRef;
  hasPrevious: boolean;
  /** Its pod has finished (a completed Job's pod): a merged view reads it once instead of following it. */
  finished?: boolean;
}

/** Which containers a view shows; a merged view's set can change while it is followed (new pods). */
export interface LogSelection {
  /** True when the request named one pod and one container: ids are then plain line ids. */
  single: boolean;
  containers(): SelectedContainer[];
  onChange?(listener: () => void): () => void;
}

export interface LogViewOptions {
  follow: boolean;
  previous?: boolean;
  /** 0 or undefined = all (capped). */
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  lastEventId?: string | null;
}

export interface TrackedLogEvent {
  id: string;
  event: LogStreamEvent;
}

export function tooManyStreamsMessage(max: number): string {
  return `Too many live log streams right now (${max}). Close another log view or try again shortly.`;
}

/** What a view needs from the hub: shared upstreams under the cap, and one-off reads. */
export interface UpstreamPool {
  readonly maxUpstreams: number;
  acquire(ref: ContainerRef): SharedUpstream | undefined;
  release(upstream: SharedUpstream): void;
  readHistory(ref: ContainerRef, options: UpstreamReadOptions, signal: AbortSignal): AsyncIterable<UpstreamEvent>;
}

export interface ViewSettings {
  maxTailLines: number;
  /** Clock-skew margin (see LogHubOptions.startMarginMs), also for containers that join a merged view. */
  startMarginMs: number;
  readRetryMs: number;
  maxQueuedLines: number;
  batching?: { maxLines: number; maxDelayMs: number };
  now: () => number;
}

interface HistoryRequest {
  /** Resume after this position. */
  after?: ContainerPosition;
  sinceKey?: string;
  sinceTime?: string;
  tailLines: number;
}

interface Feed {
  key: string;
  ref: ContainerRef;
  upstream: SharedUpstream;
  listener: UpstreamListener;
  /** Live lines that arrived while the history was being assembled. */
  pending: PositionedLine[];
  live: boolean;
  /** Lines at or before this position were delivered already (resume); dropped until one passes. */
  gate?: ContainerPosition;
  state: LogStreamState;
  message?: string;
}

/** One subscriber's view: history, then live lines, through one batching queue. */
export class LogViewSession {
  private readonly queue: EventQueue;
  private readonly feeds = new Map<string, Feed>();
  /** Containers whose log ended (pod deleted, finished): not picked up again. */
  private readonly finished = new Set<string>();
  private readonly cursor: StreamCursor;
  private readonly resumed: StreamCursor | undefined;
  private readonly abort = new AbortController();
  private lastLineId: string | undefined;
  /** The history is in the queue (live lines may follow it). */
  private historyQueued = false;
  /** The history has been handed to the subscriber: from then on event ids are real cursors. */
  private historyDelivered = false;
  private historyLinesLeft = 0;
  private overflowed = false;
  private aggregate: { state: LogStreamState; message?: string } = { state: "connecting" };
  private rescans: Promise<void> = Promise.resolve();

  constructor(
    private readonly hub: UpstreamPool,
    private readonly options: ViewSettings,
    private readonly selection: LogSelection,
    private readonly view: LogViewOptions,
    signal: AbortSignal,
  ) {
    this.queue = new EventQueue(options.batching);
    setMaxListeners(100, this.abort.signal);
    if (signal.aborted) this.abort.abort();
    else signal.addEventListener("abort", () => this.abort.abort(), { once: true });
    this.resumed = decodeCursor(view.lastEventId);
    const start = this.resumed?.start ?? truncateToSecond(new Date(options.now() - options.startMarginMs).toISOString());
    this.cursor = { start, positions: new Map(this.resumed?.positions) };
    // A resumed view's cursor is valid from the start; a fresh one starts over until its history is out.
    if (this.resumed) this.historyQueued = this.historyDelivered = true;
  }

  async *run(): AsyncGenerator<TrackedLogEvent> {
    const work = this.view.follow && !this.view.previous ? this.follow() : this.readOnce();
    work.catch((error: unknown) => {
      this.queue.pushStatus({ type: "status", state: "error", message: (error as Error).message });
      this.queue.close();
    });
    try {
      for await (const drained of this.queue.drain(this.abort.signal)) {
        // Live lines of several containers that arrived within one batch window go out by time.
        const event = drained.type === "lines" && !this.selection.single ? { type: "lines" as const, lines: interleave(drained.lines) } : drained;
        if (event.type === "lines") {
          this.advance(event.lines);
          if (this.historyQueued && !this.historyDelivered) {
            this.historyLinesLeft -= event.lines.length;
            this.historyDelivered = this.historyLinesLeft <= 0;
          }
        }
        yield { id: this.cursorId(), event };
      }
    } finally {
      this.abort.abort();
      for (const feed of this.feeds.values()) this.dropFeed(feed);
      await work.catch(() => undefined);
    }
  }

  private cursorId(): string {
    if (!this.historyDelivered) return encodeSingleCursor(undefined);
    return this.selection.single ? encodeSingleCursor(this.lastLineId ?? this.view.lastEventId ?? undefined) : encodeMergedCursor(this.cursor);
  }

  private deliverHistory(lines: LogLine[]): void {
    this.deliver(lines);
    this.historyLinesLeft = lines.length;
    this.historyQueued = true;
    if (lines.length === 0) this.historyDelivered = true;
  }

  /** Every line goes through here: a subscriber that stops reading must not grow the server's memory without end. */
  private deliver(lines: LogLine[]): void {
    if (lines.length === 0 || this.overflowed) return;
    if (this.queue.queuedLines + lines.length > this.options.maxQueuedLines) {
      this.overflowed = true;
      this.queue.pushStatus({ type: "status", state: "error", message: "This view fell too far behind the log and was stopped. Reload it to continue." });
      this.queue.close();
      return;
    }
    this.queue.pushLines(lines);
  }

  private advance(lines: LogLine[]): void {
    for (const line of lines) {
      const entry = positioned(line);
      this.cursor.positions.set(containerKey(line), { ts: line.ts, sortKey: entry.sortKey, n: entry.n });
      this.lastLineId = line.id;
    }
  }

  // ---- follow ---------------------------------------------------------------------------

  private async follow(): Promise<void> {
    this.queue.pushStatus({ type: "status", state: "connecting" });
    const all = this.selection.containers();
    // A finished pod's log is complete: read it once, hold no upstream for it.
    const done = this.selection.single ? [] : all.filter((container) => container.finished);
    const selected = all.filter((container) => !done.includes(container));
    for (const container of done) this.finished.add(containerKey(container.ref));
    const feeds: Feed[] = [];
    for (const container of selected) {
      const feed = this.attach(container.ref);
      if (!feed) {
        for (const attached of feeds) this.dropFeed(attached);
        this.queue.pushStatus({ type: "status", state: "error", message: tooManyStreamsMessage(this.hub.maxUpstreams) });
        this.queue.close();
        return;
      }
      feeds.push(feed);
    }
    const tail = this.tailLimit();
    const [histories, completed] = await Promise.all([
      Promise.all(feeds.map((feed) => this.history(feed, this.firstRequest(feed.key, tail)))),
      Promise.all(done.map((container) => this.readOlder(container.ref, this.firstRequest(containerKey(container.ref), tail), "\uffff"))),
    ]);
    if (this.abort.signal.aborted) return;
    // Lines that reached the shared buffers meanwhile (a new upstream catching up) join the history,
    // so the first screen is one time-ordered block.
    const merged = mergeByTime([...feeds.map((feed, index) => [...histories[index], ...this.goLive(feed)]), ...completed]);
    this.deliverHistory(this.resumed ? merged : merged.slice(-tail));
    if (feeds.length === 0 && !this.selection.single) this.setAggregate("live", "No containers to follow right now; waiting for pods to start.");
    else this.publishState();
    const unsubscribe = this.selection.onChange?.(() => {
      this.rescans = this.rescans.then(() => this.rescan()).catch(() => undefined);
    });
    await new Promise<void>((resolve) => {
      if (this.abort.signal.aborted) resolve();
      else this.abort.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    unsubscribe?.();
  }

  private firstRequest(key: string, tail: number): HistoryRequest {
    const position = this.resumed?.positions.get(key);
    if (position) return { after: position, tailLines: this.options.maxTailLines };
    if (this.resumed) return { sinceTime: this.resumed.start, sinceKey: normalizeTimestamp(this.resumed.start ?? ""), tailLines: this.options.maxTailLines };
    const sinceTime = this.sinceTime();
    return { sinceTime, sinceKey: sinceTime ? normalizeTimestamp(sinceTime) : undefined, tailLines: tail };
  }

  /** Containers that appear while a merged view is followed (a rollout's new pod): from the view's start. */
  private async rescan(): Promise<void> {
    if (this.abort.signal.aborted) return;
    const current = this.selection.containers();
    const fresh: Feed[] = [];
    for (const container of current) {
      const key = containerKey(container.ref);
      if (this.feeds.has(key) || this.finished.has(key)) continue;
      const feed = this.attach(container.ref);
      if (!feed) {
        this.setAggregate(this.aggregate.state, `${key} is not followed: ${tooManyStreamsMessage(this.hub.maxUpstreams)}`);
        continue;
      }
      fresh.push(feed);
    }
    if (fresh.length === 0) return;
    const start = this.cursor.start;
    // A container this subscriber saw before (a resumed view whose cache lagged) continues from its position.
    const histories = await Promise.all(
      fresh.map((feed) => {
        const position = this.cursor.positions.get(feed.key);
        return this.history(
          feed,
          position
            ? { after: position, tailLines: this.options.maxTailLines }
            : { sinceTime: start, sinceKey: normalizeTimestamp(start ?? ""), tailLines: this.options.maxTailLines },
        );
      }),
    );
    if (this.abort.signal.aborted) return;
    this.deliver(mergeByTime(fresh.map((feed, index) => [...histories[index], ...this.goLive(feed)])));
    this.publishState();
  }

  private attach(ref: ContainerRef): Feed | undefined {
    const upstream = this.hub.acquire(ref);
    if (!upstream) return undefined;
    const key = containerKey(ref);
    const feed: Feed = {
      key,
      ref,
      upstream,
      pending: [],
      live: false,
      state: upstream.state,
      message: upstream.message,
      listener: {
        lines: (entries) => {
          if (!feed.live) feed.pending.push(...entries);
          else this.deliver(this.passGate(feed, entries));
        },
        status: (state, message) => this.onFeedStatus(feed, state, message),
      },
    };
    this.feeds.set(key, feed);
    return feed;
  }

  private dropFeed(feed: Feed): void {
    if (!this.feeds.has(feed.key)) return;
    this.feeds.delete(feed.key);
    feed.upstream.detach(feed.listener);
    this.hub.release(feed.upstream);
  }

  /** From now on the feed's lines go straight to the queue; returns those that waited. */
  private goLive(feed: Feed): LogLine[] {
    feed.live = true;
    const pending = feed.pending;
    feed.pending = [];
    return this.passGate(feed, pending);
  }

  private passGate(feed: Feed, entries: PositionedLine[]): LogLine[] {
    if (!feed.gate) return entries.map((entry) => entry.line);
    const gate = feed.gate;
    const first = entries.findIndex((entry) => comparePosition(entry, gate) > 0);
    if (first === -1) return [];
    feed.gate = undefined;
    return entries.slice(first).map((entry) => entry.line);
  }

  /**
   * A container's history for this view: from the shared buffer where it reaches back far enough,
   * else the older part read from the API (it keeps trying while the API refuses).
   */
  private async history(feed: Feed, request: HistoryRequest): Promise<LogLine[]> {
    // The snapshot and the lines the listener collects from now on cover the container without a gap.
    const snapshot = feed.upstream.attach(feed.listener);
    feed.state = snapshot.state;
    feed.message = snapshot.message;
    let buffered = snapshot.entries;
    if (request.after) {
      feed.gate = request.after;
      buffered = buffered.filter((entry) => comparePosition(entry, request.after!) > 0);
      // Everything after the position is in the buffer (or still to come through it).
      if (request.after.sortKey >= snapshot.coverageStart) {
        if (buffered.length > 0) feed.gate = undefined;
        return buffered.map((entry) => entry.line);
      }
    } else if (request.sinceKey) {
      buffered = buffered.filter((entry) => entry.sortKey >= request.sinceKey!);
    }
    const enough = request.after
      ? false
      : (request.sinceKey !== undefined && request.sinceKey >= snapshot.coverageStart) || buffered.length >= request.tailLines;
    if (enough) return buffered.slice(-request.tailLines).map((entry) => entry.line);

    const older = await this.readOlder(feed.ref, request, snapshot.coverageStart, (message) => this.onFeedStatus(feed, "reconnecting", message));
    if (request.after && (older.length > 0 || buffered.length > 0)) feed.gate = undefined;
    const lines = [...older, ...buffered.map((entry) => entry.line)];
    return request.after ? lines : lines.slice(-request.tailLines);
  }

  /** Lines before `before` (a sort key), read from the API; retried while the API fails. */
  private async readOlder(ref: ContainerRef, request: HistoryRequest, before: string, onRetry?: (message: string) => void): Promise<LogLine[]> {
    const options: UpstreamReadOptions = request.after
      ? { follow: false, resumeFrom: { sortKey: request.after.sortKey, count: request.after.n + 1 } }
      : { follow: false, sinceTime: request.sinceTime, tailLines: request.tailLines };
    for (;;) {
      const lines: LogLine[] = [];
      let failure: string | undefined;
      for await (const event of this.hub.readHistory(ref, options, this.abort.signal)) {
        if (event.type === "lines") {
          for (const line of event.lines) if ((normalizeTimestamp(line.ts) ?? line.ts) < before) lines.push(line);
        } else if (event.state === "error") failure = event.message;
        // "ended" (pod or container gone): the shared follow reports it to the view.
      }
      if (this.abort.signal.aborted || failure === undefined) return lines;
      onRetry?.(failure);
      await abortableSleep(this.options.readRetryMs, this.abort.signal);
      if (this.abort.signal.aborted) return [];
    }
  }

  private onFeedStatus(feed: Feed, state: LogStreamState, message?: string): void {
    feed.state = state;
    feed.message = message;
    if (this.selection.single) {
      if (state === "ended" || state === "error") {
        // The history may still be on its way; the end comes after it.
        void this.whenHistoryDelivered().then(() => {
          this.queue.pushStatus({ type: "status", state, message });
          this.queue.close();
        });
      } else this.queue.pushStatus({ type: "status", state, message });
      return;
    }
    if (state === "ended" || state === "error") {
      this.finished.add(feed.key);
      this.dropFeed(feed);
      this.setAggregate(this.aggregate.state === "connecting" ? "connecting" : "live", message ? `${feed.key}: ${message}` : `${feed.key} ended.`);
      return;
    }
    this.publishState(state === "reconnecting" ? `${feed.key}: ${message ?? "reconnecting…"}` : undefined);
  }

  private whenHistoryDelivered(): Promise<void> {
    if (this.historyQueued) return Promise.resolve();
    return new Promise((resolve) => {
      const check = setInterval(() => {
        if (this.historyQueued || this.abort.signal.aborted) {
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
  }

  /** A merged view is "reconnecting" while any of its containers is, "live" when all are. */
  private publishState(message?: string): void {
    const feeds = [...this.feeds.values()];
    if (this.selection.single) {
      const feed = feeds[0];
      if (feed) this.queue.pushStatus({ type: "status", state: feed.state, message: feed.message });
      return;
    }
    // A container waiting to start (its pod pending) must not hold the others' view in "connecting".
    const reconnecting = feeds.find((feed) => feed.state === "reconnecting");
    const live = feeds.some((feed) => feed.state === "live");
    const state: LogStreamState = reconnecting ? "reconnecting" : live || feeds.length === 0 ? "live" : "connecting";
    this.setAggregate(state, reconnecting ? (message ?? `${reconnecting.key}: ${reconnecting.message ?? "reconnecting…"}`) : message);
  }

  private setAggregate(state: LogStreamState, message?: string): void {
    if (this.aggregate.state === state && this.aggregate.message === message) return;
    this.aggregate = { state, message };
    this.queue.pushStatus({ type: "status", state, message });
  }

  // ---- one-off reads (no follow, or the previous container) -------------------------------

  private async readOnce(): Promise<void> {
    const tail = this.tailLimit();
    const sinceTime = this.sinceTime();
    const containers = this.selection.containers().filter((c) => !this.view.previous || c.hasPrevious || this.selection.single);
    const endings: string[] = [];
    let failure: string | undefined;
    const histories = await mapLimit(containers, 4, async (container) => {
      const key = containerKey(container.ref);
      const position = this.resumed?.positions.get(key);
      const options: UpstreamReadOptions = position
        ? { follow: false, previous: this.view.previous, resumeFrom: { sortKey: position.sortKey, count: position.n + 1 } }
        : { follow: false, previous: this.view.previous, tailLines: tail, sinceTime };
      const lines: LogLine[] = [];
      for await (const event of this.hub.readHistory(container.ref, options, this.abort.signal)) {
        if (event.type === "lines") lines.push(...event.lines);
        else if (event.state === "ended" && event.message) endings.push(event.message);
        else if (event.state === "error") failure ??= event.message;
      }
      return lines;
    });
    if (this.abort.signal.aborted) return;
    const merged = mergeByTime(histories);
    this.deliverHistory(this.resumed ? merged : merged.slice(-tail));
    if (failure && merged.length === 0) this.queue.pushStatus({ type: "status", state: "error", message: failure });
    else if (this.selection.single && endings.length > 0 && merged.length === 0) this.queue.pushStatus({ type: "status", state: "ended", message: endings[0] });
    else if (containers.length === 0 && this.view.previous)
      this.queue.pushStatus({ type: "status", state: "ended", message: "No container here has restarted, so there is no previous log." });
    else this.queue.pushStatus({ type: "status", state: "ended", message: failure });
    this.queue.close();
  }

  private tailLimit(): number {
    return capTailLines(this.view.tailLines, this.options.maxTailLines);
  }

  /** since as an RFC 3339 second (what kubelets accept), from sinceTime or sinceSeconds. */
  private sinceTime(): string | undefined {
    if (this.view.sinceTime) return truncateToSecond(this.view.sinceTime);
    if (this.view.sinceSeconds) return truncateToSecond(new Date(this.options.now() - this.view.sinceSeconds * 1000).toISOString());
    return undefined;
  }
}

/** Merges per-container line lists by time, keeping each container's own order. */
function mergeByTime(lists: LogLine[][]): LogLine[] {
  const heads = lists.map(() => 0);
  const keys = lists.map((list) => list.map((line) => normalizeTimestamp(line.ts) ?? line.ts));
  const total = lists.reduce((sum, list) => sum + list.length, 0);
  const merged: LogLine[] = [];
  while (merged.length < total) {
    let best = -1;
    for (let i = 0; i < lists.length; i += 1) {
      if (heads[i] >= lists[i].length) continue;
      if (best === -1 || keys[i][heads[i]] < keys[best][heads[best]]) best = i;
    }
    merged.push(lists[best][heads[best]]);
    heads[best] += 1;
  }
  return merged;
}

/** One batch's lines ordered by time across containers, each container's own order kept. */
function interleave(lines: LogLine[]): LogLine[] {
  const byContainer = new Map<string, LogLine[]>();
  for (const line of lines) {
    const key = containerKey(line);
    const list = byContainer.get(key);
    if (list) list.push(line);
    else byContainer.set(key, [line]);
  }
  return byContainer.size < 2 ? lines : mergeByTime([...byContainer.values()]);
}

async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

import "server-only";

import type { ContainerRef, UpstreamEvent } from "./upstream-stream";
import { normalizeTimestamp } from "./log-line";
import type { LogLine, LogStreamState } from "@/lib/logs/types";

/**
 * One container's live log, followed once from the API and shared by every viewer. It keeps the
 * recent lines so a viewer that joins (or resumes) later is served from memory: the buffer holds
 * every line from `coverageStart` on, so older lines are the only ones a viewer reads itself.
 */

export interface PositionedLine {
  line: LogLine;
  /** The line's timestamp normalised for comparisons. */
  sortKey: string;
  /** Its index among the container's lines with this exact timestamp (the id's last part). */
  n: number;
}

export interface UpstreamListener {
  lines(entries: PositionedLine[]): void;
  status(state: LogStreamState, message?: string): void;
}

export interface UpstreamSnapshot {
  entries: PositionedLine[];
  coverageStart: string;
  state: LogStreamState;
  message?: string;
}

export type FollowSource = (ref: ContainerRef, sinceTime: string, signal: AbortSignal) => AsyncIterable<UpstreamEvent>;

export function positioned(line: LogLine): PositionedLine {
  return { line, sortKey: normalizeTimestamp(line.ts) ?? line.ts, n: Number(line.id.slice(line.id.lastIndexOf("#") + 1)) || 0 };
}

export function containerKey(ref: { pod: string; container: string }): string {
  return `${ref.pod}/${ref.container}`;
}

/** Namespaced: the hub's key for a container's shared follow. */
export function upstreamKey(ref: ContainerRef): string {
  return `${ref.namespace}/${containerKey(ref)}`;
}

export class SharedUpstream {
  readonly key: string;
  state: LogStreamState = "connecting";
  message: string | undefined;
  /** Viewers holding it; at 0 it lingers briefly so a reconnecting viewer finds its buffer. */
  refs = 0;
  done = false;
  lingerTimer: ReturnType<typeof setTimeout> | undefined;
  private entries: PositionedLine[] = [];
  private coverage: string;
  private readonly listeners = new Set<UpstreamListener>();
  private readonly abort = new AbortController();

  constructor(
    readonly ref: ContainerRef,
    /** RFC 3339 second the follow starts at: every line from then on passes through here. */
    readonly startSecond: string,
    private readonly bufferLines: number,
    private readonly onDone: (upstream: SharedUpstream) => void,
  ) {
    this.key = upstreamKey(ref);
    this.coverage = normalizeTimestamp(startSecond) ?? startSecond;
  }

  start(follow: FollowSource): void {
    void this.run(follow);
  }

  stop(): void {
    clearTimeout(this.lingerTimer);
    this.abort.abort();
    this.finish();
  }

  /** The buffer now, and every later line and status to `listener` (nothing falls between the two). */
  attach(listener: UpstreamListener): UpstreamSnapshot {
    this.listeners.add(listener);
    return { entries: this.entries.slice(), coverageStart: this.coverage, state: this.state, message: this.message };
  }

  detach(listener: UpstreamListener): void {
    this.listeners.delete(listener);
  }

  private async run(follow: FollowSource): Promise<void> {
    try {
      for await (const event of follow(this.ref, this.startSecond, this.abort.signal)) {
        if (event.type === "lines") this.receive(event.lines.map(positioned));
        else this.setStatus(event.state, event.message);
        if (this.done) return;
      }
      if (!this.abort.signal.aborted) this.setStatus("ended", `The log of ${this.ref.pod}/${this.ref.container} ended.`);
    } catch (error) {
      if (!this.abort.signal.aborted) this.setStatus("error", (error as Error).message);
    } finally {
      this.finish();
    }
  }

  private receive(batch: PositionedLine[]): void {
    this.entries.push(...batch);
    // Trim in chunks, and never leave a timestamp half in the buffer: coverageStart must mean
    // "every line from here on".
    if (this.entries.length > this.bufferLines * 1.2) {
      let cut = this.entries.length - this.bufferLines;
      const lastDropped = this.entries[cut - 1].sortKey;
      while (cut < this.entries.length && this.entries[cut].sortKey === lastDropped) cut += 1;
      this.entries = this.entries.slice(cut);
      this.coverage = this.entries[0]?.sortKey ?? `${lastDropped}\u0000`;
    }
    for (const listener of this.listeners) listener.lines(batch);
  }

  private setStatus(state: LogStreamState, message?: string): void {
    if (this.done) return;
    this.state = state;
    this.message = message;
    if (state === "ended" || state === "error") this.done = true;
    for (const listener of [...this.listeners]) listener.status(state, message);
  }

  private finish(): void {
    if (this.abort.signal.aborted === false) this.abort.abort();
    if (!this.done) this.done = true;
    this.onDone(this);
  }
}

import "server-only";

import { truncateToSecond } from "./log-line";
import { MAX_TAIL_LINES } from "@/lib/logs/log-request";
import { LogViewSession, type LogSelection, type LogViewOptions, type TrackedLogEvent, type UpstreamPool } from "./log-view-session";
import { SharedUpstream, upstreamKey, type FollowSource } from "./shared-upstream";
import type { ContainerRef, UpstreamEvent, UpstreamReadOptions } from "./upstream-stream";

/**
 * Fans log streams out to viewers. Each followed container has ONE upstream follow (a
 * SharedUpstream), however many viewers watch it, and at most `maxUpstreams` exist at once; an
 * upstream nobody watches lingers briefly so a reconnecting viewer resumes from its buffer. Each
 * subscriber's view (history, live lines, cursor ids) is a LogViewSession.
 */

export interface LogSource {
  follow: FollowSource;
  read(ref: ContainerRef, options: UpstreamReadOptions, signal: AbortSignal): AsyncIterable<UpstreamEvent>;
}

export interface LogHubOptions {
  source: LogSource;
  maxUpstreams: number;
  /** Lines each shared upstream keeps for late joiners and resumes. */
  bufferLines?: number;
  /** How long an upstream nobody watches stays open (a reconnecting viewer finds it warm). */
  lingerMs?: number;
  /**
   * A new upstream starts this far back. Its start comes from the portal's clock but is compared
   * with the kubelet's timestamps: the margin absorbs clock skew between the two, so no line falls
   * between a viewer's history read and the upstream.
   */
  startMarginMs?: number;
  /** Upper bound of tailLines, "all" included. */
  maxTailLines?: number;
  batching?: { maxLines: number; maxDelayMs: number };
  /** Wait before reading history again after the API refused it (a follow never gives up). */
  readRetryMs?: number;
  /** Lines a subscriber may fall behind by before its view is closed with an error (bounds memory per viewer). */
  maxQueuedLines?: number;
  now?: () => number;
}

const DEFAULTS = { bufferLines: 2_000, lingerMs: 15_000, startMarginMs: 10_000, maxTailLines: MAX_TAIL_LINES, readRetryMs: 1_000, maxQueuedLines: 100_000 };

export class LogHub implements UpstreamPool {
  private readonly upstreams = new Map<string, SharedUpstream>();
  private readonly options: Required<Omit<LogHubOptions, "batching">> & Pick<LogHubOptions, "batching">;

  constructor(options: LogHubOptions) {
    this.options = { ...DEFAULTS, now: Date.now, ...options };
  }

  get upstreamCount(): number {
    return this.upstreams.size;
  }

  get maxUpstreams(): number {
    return this.options.maxUpstreams;
  }

  /** A reference on the container's shared follow, or undefined when the cap is reached. */
  acquire(ref: ContainerRef): SharedUpstream | undefined {
    const key = upstreamKey(ref);
    const existing = this.upstreams.get(key);
    if (existing && !existing.done) {
      clearTimeout(existing.lingerTimer);
      existing.refs += 1;
      return existing;
    }
    if (this.upstreams.size >= this.options.maxUpstreams && !this.evictIdle()) return undefined;
    const startSecond = truncateToSecond(new Date(this.options.now() - this.options.startMarginMs).toISOString());
    const upstream = new SharedUpstream(ref, startSecond, this.options.bufferLines, (done) => {
      if (this.upstreams.get(done.key) === done) this.upstreams.delete(done.key);
    });
    upstream.refs = 1;
    this.upstreams.set(key, upstream);
    upstream.start(this.options.source.follow);
    return upstream;
  }

  release(upstream: SharedUpstream): void {
    upstream.refs -= 1;
    if (upstream.refs > 0) return;
    if (upstream.done) {
      upstream.stop();
      return;
    }
    clearTimeout(upstream.lingerTimer);
    upstream.lingerTimer = setTimeout(() => {
      if (upstream.refs === 0) upstream.stop();
    }, this.options.lingerMs);
    upstream.lingerTimer.unref?.();
  }

  /** Closes every upstream (tests, shutdown). */
  close(): void {
    for (const upstream of [...this.upstreams.values()]) upstream.stop();
  }

  /** A lingering upstream nobody watches makes room for a new one. */
  private evictIdle(): boolean {
    for (const upstream of this.upstreams.values()) {
      if (upstream.refs <= 0) {
        upstream.stop();
        return true;
      }
    }
    return false;
  }

  /** The events of one log view until it ends or `signal` aborts. */
  async *open(selection: LogSelection, view: LogViewOptions, signal: AbortSignal): AsyncGenerator<TrackedLogEvent> {
    const session = new LogViewSession(this, this.options, selection, view, signal);
    yield* session.run();
  }

  readHistory(ref: ContainerRef, options: UpstreamReadOptions, signal: AbortSignal): AsyncIterable<UpstreamEvent> {
    return this.options.source.read(ref, options, signal);
  }
}

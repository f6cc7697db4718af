import "server-only";

import type { LogLevel, LogLine } from "@/lib/logs/types";

/**
 * Kubelet log lines ("<RFC3339Nano> <text>" with timestamps=true), their Odoo level, and the
 * bookkeeping that makes a resumed stream neither lose nor repeat a line. Timestamps are compared
 * as normalised strings (UTC, 9 fractional digits): a JS Date would drop everything below the
 * millisecond and merge distinct lines.
 */

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** "2026-11-23T10:00:01.5+01:00" -> "2026-11-23T09:00:01.500000000Z"; undefined when not RFC 3339. */
export function normalizeTimestamp(ts: string): string | undefined {
  const match = TIMESTAMP.exec(ts);
  if (!match) return undefined;
  const [, date, time, fraction = "", zone] = match;
  const nanos = fraction.padEnd(9, "0");
  if (zone === "Z") return `${date}T${time}.${nanos}Z`;
  // Offsets shift whole minutes, so Date handles the seconds part without touching the fraction.
  const seconds = Date.parse(`${date}T${time}${zone}`);
  if (Number.isNaN(seconds)) return undefined;
  return `${new Date(seconds).toISOString().slice(0, 19)}.${nanos}Z`;
}

/** Orders two RFC 3339 timestamps at nanosecond precision (negative when a is earlier). */
export function compareTimestamps(a: string, b: string): number {
  const left = normalizeTimestamp(a) ?? a;
  const right = normalizeTimestamp(b) ?? b;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The second a timestamp falls in, as `sinceTime` accepts it (real kubelets honour whole seconds only). */
export function truncateToSecond(ts: string): string {
  const normalized = normalizeTimestamp(ts);
  if (!normalized) throw new Error(`not an RFC 3339 timestamp: ${ts}`);
  return `${normalized.slice(0, 19)}Z`;
}

export interface RawLogLine {
  ts: string;
  /** ts normalised for comparisons. */
  sortKey: string;
  text: string;
}

/** Splits "<ts> <text>"; a line without a valid timestamp gives undefined (the caller decides). */
export function parseKubeletLine(raw: string): RawLogLine | undefined {
  const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  const space = line.indexOf(" ");
  const ts = space === -1 ? line : line.slice(0, space);
  const sortKey = normalizeTimestamp(ts);
  if (!sortKey) return undefined;
  return { ts, sortKey, text: space === -1 ? "" : line.slice(space + 1) };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
// Odoo: "2026-11-23 10:00:01,123 1 ERROR db odoo.sql_db: msg" (pid, level, database, logger).
const ODOO_LEVEL = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} \d+ (CRITICAL|ERROR|WARNING|INFO|DEBUG) /;

export function detectLevel(text: string): LogLevel | undefined {
  const match = ODOO_LEVEL.exec(text.includes("\u001b") ? text.replace(ANSI, "") : text);
  return match ? (match[1] as LogLevel) : undefined;
}

export function formatLineId(ts: string, pod: string, container: string, n: number): string {
  return `${ts}#${pod}/${container}#${n}`;
}

export interface LineIdParts {
  ts: string;
  sortKey: string;
  pod: string;
  container: string;
  n: number;
}

export function parseLineId(id: string): LineIdParts | undefined {
  const first = id.indexOf("#");
  const last = id.lastIndexOf("#");
  if (first <= 0 || last === first) return undefined;
  const ts = id.slice(0, first);
  const sortKey = normalizeTimestamp(ts);
  const target = id.slice(first + 1, last);
  const slash = target.indexOf("/");
  const n = Number(id.slice(last + 1));
  if (!sortKey || slash <= 0 || !Number.isInteger(n) || n < 0) return undefined;
  return { ts, sortKey, pod: target.slice(0, slash), container: target.slice(slash + 1), n };
}

/** Where a container's stream stopped: the last timestamp and what was already seen at it. */
export interface ResumeCursor {
  sortKey: string;
  /** Lines seen with exactly this timestamp. */
  count: number;
  /** Occurrences per text at this timestamp; absent when resuming from a line id only. */
  textCounts?: Map<string, number>;
}

export function cursorFromLineId(parts: LineIdParts): ResumeCursor {
  return { sortKey: parts.sortKey, count: parts.n + 1 };
}

/**
 * Gives each line of one container its id. n counts the lines with an identical timestamp from
 * the first one, which every reader sees because reads start on a second boundary; so the same
 * line gets the same id from the shared stream, a tail read and a resumed stream.
 */
export class LineSequencer {
  private sortKey: string | undefined;
  private count = 0;
  private textCounts = new Map<string, number>();

  constructor(
    private readonly pod: string,
    private readonly container: string,
    start?: ResumeCursor,
  ) {
    if (start) {
      this.sortKey = start.sortKey;
      this.count = start.count;
      this.textCounts = new Map(start.textCounts);
    }
  }

  next(raw: RawLogLine): LogLine {
    if (raw.sortKey !== this.sortKey) {
      this.sortKey = raw.sortKey;
      this.count = 0;
      this.textCounts = new Map();
    }
    const n = this.count;
    this.count += 1;
    this.textCounts.set(raw.text, (this.textCounts.get(raw.text) ?? 0) + 1);
    const line: LogLine = { id: formatLineId(raw.ts, this.pod, this.container, n), ts: raw.ts, pod: this.pod, container: this.container, text: raw.text };
    const level = detectLevel(raw.text);
    if (level) line.level = level;
    return line;
  }

  cursor(): ResumeCursor | undefined {
    if (this.sortKey === undefined) return undefined;
    return { sortKey: this.sortKey, count: this.count, textCounts: new Map(this.textCounts) };
  }
}

/**
 * Drops the part of a resumed read that was already delivered: everything before the cursor's
 * timestamp, and at that timestamp each (text, occurrence) already seen, so identical lines are
 * neither merged nor repeated. Once a later timestamp appears the filter lets everything through.
 */
export class OverlapFilter {
  private done = false;
  private seenAtCursor = 0;
  private readonly textSeen = new Map<string, number>();

  constructor(private readonly cursor: ResumeCursor | undefined) {
    if (!cursor) this.done = true;
  }

  accept(raw: RawLogLine): boolean {
    if (this.done) return true;
    const cursor = this.cursor!;
    if (raw.sortKey < cursor.sortKey) return false;
    if (raw.sortKey > cursor.sortKey) {
      this.done = true;
      return true;
    }
    this.seenAtCursor += 1;
    if (cursor.textCounts) {
      const occurrence = (this.textSeen.get(raw.text) ?? 0) + 1;
      this.textSeen.set(raw.text, occurrence);
      return occurrence > (cursor.textCounts.get(raw.text) ?? 0);
    }
    return this.seenAtCursor > cursor.count;
  }
}

/** Whether a line comes after a cursor position (ts, then n): the seam between a tail read and the live feed. */
export function isAfter(line: LogLine, sortKey: string, n: number): boolean {
  const parts = parseLineId(line.id);
  if (!parts) return true;
  return parts.sortKey > sortKey || (parts.sortKey === sortKey && parts.n > n);
}

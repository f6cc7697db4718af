import "server-only";

import { normalizeTimestamp, parseLineId } from "./log-line";
import { containerKey } from "./shared-upstream";

/**
 * The tracked id of a log subscription: where a reconnecting client resumes. For one container it
 * is simply the id of the last line delivered. A merged view (a whole tenant, or every container
 * of a pod) carries the position of each container, because lines of different containers reach
 * the server in arrival order, not strictly by time, so one line id cannot say what else was seen.
 */

export interface ContainerPosition {
  ts: string;
  sortKey: string;
  n: number;
}

export interface StreamCursor {
  /** RFC 3339 second the stream began; containers without a position resume from there. */
  start?: string;
  positions: Map<string, ContainerPosition>;
}

/** Before the first lines are delivered a reconnect simply starts over. */
export const FRESH_CURSOR_ID = "start";
const MERGED_PREFIX = "m1.";

export function encodeSingleCursor(lastLineId: string | undefined): string {
  return lastLineId ?? FRESH_CURSOR_ID;
}

export function encodeMergedCursor(cursor: StreamCursor): string {
  const positions: Record<string, [string, number]> = {};
  for (const [key, position] of cursor.positions) positions[key] = [position.ts, position.n];
  return MERGED_PREFIX + Buffer.from(JSON.stringify({ s: cursor.start, p: positions })).toString("base64url");
}

/** Undefined for a fresh start (no id, "start", or anything that is not one of our cursors). */
export function decodeCursor(id: string | null | undefined): StreamCursor | undefined {
  if (!id || id === FRESH_CURSOR_ID) return undefined;
  if (id.startsWith(MERGED_PREFIX)) {
    try {
      const raw = JSON.parse(Buffer.from(id.slice(MERGED_PREFIX.length), "base64url").toString("utf8")) as { s?: unknown; p?: unknown };
      const positions = new Map<string, ContainerPosition>();
      if (raw.p && typeof raw.p === "object") {
        for (const [key, value] of Object.entries(raw.p as Record<string, unknown>)) {
          if (!Array.isArray(value) || typeof value[0] !== "string" || !Number.isInteger(value[1]) || value[1] < 0) continue;
          const sortKey = normalizeTimestamp(value[0]);
          if (sortKey) positions.set(key, { ts: value[0], sortKey, n: value[1] });
        }
      }
      const start = typeof raw.s === "string" && normalizeTimestamp(raw.s) ? raw.s : undefined;
      return { start, positions };
    } catch {
      return undefined;
    }
  }
  const parts = parseLineId(id);
  if (!parts) return undefined;
  return { positions: new Map([[containerKey(parts), { ts: parts.ts, sortKey: parts.sortKey, n: parts.n }]]) };
}

/** Orders lines of one container: timestamp, then the index among equal timestamps. */
export function comparePosition(a: { sortKey: string; n: number }, b: { sortKey: string; n: number }): number {
  if (a.sortKey !== b.sortKey) return a.sortKey < b.sortKey ? -1 : 1;
  return a.n - b.n;
}

import { ansiSegments, plainText } from "./ansi-segments";
import type { LogLevel, LogLine } from "./log-types";

export interface BufferedLine extends LogLine {
  /** Position in the stream since the view opened; stays the same when older lines are dropped. */
  seq: number;
  /** The line's own level, or the one of the line above from the same container (a traceback's continuation). */
  effectiveLevel?: LogLevel;
  /** Colour codes removed, controls made visible: what search and downloads work on. */
  plain: string;
}

export const MAX_BUFFERED_LINES = 100_000;

/**
 * The lines of one view, kept outside React state: batches append in place and bump `version`,
 * so a 100,000-line buffer is never copied on each batch. Lines already held (same id, e.g. after
 * a resume) are skipped.
 */
export class LogBuffer {
  lines: BufferedLine[] = [];
  base = 0;
  version = 0;
  private readonly ids = new Set<string>();
  private readonly lastLevel = new Map<string, LogLevel>();

  constructor(readonly cap = MAX_BUFFERED_LINES) {}

  get end(): number {
    return this.base + this.lines.length;
  }

  at(seq: number): BufferedLine | undefined {
    return this.lines[seq - this.base];
  }

  append(batch: readonly LogLine[]): number {
    let added = 0;
    for (const line of batch) {
      if (this.ids.has(line.id)) continue;
      this.ids.add(line.id);
      const stream = `${line.pod}/${line.container}`;
      if (line.level) this.lastLevel.set(stream, line.level);
      this.lines.push({
        ...line,
        seq: this.end,
        effectiveLevel: line.level ?? this.lastLevel.get(stream),
        plain: plainText(ansiSegments(line.text)),
      });
      added += 1;
    }
    // Trim in chunks: one splice per ~10% of the cap instead of a shift on every batch.
    if (this.lines.length > this.cap + Math.ceil(this.cap / 10)) {
      const dropped = this.lines.splice(0, this.lines.length - this.cap);
      for (const line of dropped) this.ids.delete(line.id);
      this.base += dropped.length;
    }
    if (added) this.version += 1;
    return added;
  }
}

export interface LogViewFilter {
  /** Changes whenever the predicates change, so the view is rebuilt rather than extended. */
  key: string;
  visible(line: BufferedLine): boolean;
  isMatch(line: BufferedLine): boolean;
}

/** Sequence numbers of the lines shown and of the matches among them, both ascending. */
export interface LogView {
  key: string;
  seqs: number[];
  matchSeqs: number[];
  scannedTo: number;
}

export function emptyView(): LogView {
  return { key: "", seqs: [], matchSeqs: [], scannedTo: 0 };
}

function dropBefore(seqs: number[], base: number): void {
  let cut = 0;
  while (cut < seqs.length && seqs[cut] < base) cut += 1;
  if (cut) seqs.splice(0, cut);
}

/** Brings a view up to date with the buffer, scanning only new lines unless the filter changed. */
export function updateView(view: LogView, buffer: LogBuffer, filter: LogViewFilter): LogView {
  const next = view.key === filter.key ? view : { key: filter.key, seqs: [], matchSeqs: [], scannedTo: buffer.base };
  dropBefore(next.seqs, buffer.base);
  dropBefore(next.matchSeqs, buffer.base);
  for (let seq = Math.max(next.scannedTo, buffer.base); seq < buffer.end; seq += 1) {
    const line = buffer.at(seq)!;
    if (!filter.visible(line)) continue;
    next.seqs.push(seq);
    if (filter.isMatch(line)) next.matchSeqs.push(seq);
  }
  next.scannedTo = buffer.end;
  return next;
}

/** Index of `seq` in the ascending `seqs` (or where it would go). */
export function indexOfSeq(seqs: readonly number[], seq: number): number {
  let low = 0;
  let high = seqs.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (seqs[mid] < seq) low = mid + 1;
    else high = mid;
  }
  return low;
}

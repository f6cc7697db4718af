import { describe, expect, it } from "vitest";

import {
  compareTimestamps,
  cursorFromLineId,
  detectLevel,
  isAfter,
  LineSequencer,
  normalizeTimestamp,
  OverlapFilter,
  parseKubeletLine,
  parseLineId,
  truncateToSecond,
  type RawLogLine,
} from "./log-line";

function raw(ts: string, text: string): RawLogLine {
  return parseKubeletLine(`${ts} ${text}`)!;
}

describe("timestamps", () => {
  it("parses kubelet lines and keeps the text untouched", () => {
    expect(parseKubeletLine("2026-11-23T10:00:01.123456789Z hello  world\r")).toEqual({
      ts: "2026-11-23T10:00:01.123456789Z",
      sortKey: "2026-11-23T10:00:01.123456789Z",
      text: "hello  world",
    });
    expect(parseKubeletLine("2026-11-23T10:00:01Z")?.text).toBe("");
    expect(parseKubeletLine("not a timestamp at all")).toBeUndefined();
  });

  it("normalises fractions and offsets to UTC with nine digits", () => {
    expect(normalizeTimestamp("2026-11-23T10:00:01.5Z")).toBe("2026-11-23T10:00:01.500000000Z");
    expect(normalizeTimestamp("2026-11-23T10:00:01Z")).toBe("2026-11-23T10:00:01.000000000Z");
    expect(normalizeTimestamp("2026-11-23T11:00:01.000000001+01:00")).toBe("2026-11-23T10:00:01.000000001Z");
    expect(normalizeTimestamp("2026-11-23 10:00:01Z")).toBeUndefined();
  });

  it("orders below the millisecond, where Date cannot", () => {
    expect(compareTimestamps("2026-11-23T10:00:01.000000001Z", "2026-11-23T10:00:01.000000002Z")).toBeLessThan(0);
    expect(compareTimestamps("2026-11-23T10:00:01.1Z", "2026-11-23T10:00:01.100000000Z")).toBe(0);
    expect(compareTimestamps("2026-11-23T10:00:02Z", "2026-11-23T10:00:01.999999999Z")).toBeGreaterThan(0);
  });

  it("truncates to the second for sinceTime", () => {
    expect(truncateToSecond("2026-11-23T10:00:01.999999999Z")).toBe("2026-11-23T10:00:01Z");
  });
});

describe("line ids", () => {
  it("counts identical timestamps and round-trips", () => {
    const sequencer = new LineSequencer("pod-a", "odoo");
    const lines = [raw("2026-11-23T10:00:01.000000000Z", "a"), raw("2026-11-23T10:00:01.000000000Z", "a"), raw("2026-11-23T10:00:02.000000000Z", "b")].map(
      (line) => sequencer.next(line),
    );
    expect(lines.map((line) => line.id)).toEqual([
      "2026-11-23T10:00:01.000000000Z#pod-a/odoo#0",
      "2026-11-23T10:00:01.000000000Z#pod-a/odoo#1",
      "2026-11-23T10:00:02.000000000Z#pod-a/odoo#0",
    ]);
    expect(parseLineId(lines[1]!.id)).toMatchObject({ pod: "pod-a", container: "odoo", n: 1 });
    expect(isAfter(lines[2]!, parseLineId(lines[1]!.id)!.sortKey, 1)).toBe(true);
    expect(isAfter(lines[1]!, parseLineId(lines[1]!.id)!.sortKey, 1)).toBe(false);
  });
});

describe("overlap removal on resume", () => {
  const T1 = "2026-11-23T10:00:01.250000000Z";
  const T2 = "2026-11-23T10:00:01.750000000Z";
  const log = [raw("2026-11-23T10:00:01.000000000Z", "old"), raw(T1, "x"), raw(T1, "y"), raw(T1, "x"), raw(T1, "x"), raw(T2, "z")];

  function deliverResumed(seen: number): string[] {
    const sequencer = new LineSequencer("p", "c");
    const delivered = log.slice(0, seen).map((line) => sequencer.next(line));
    // The resumed read starts at the second boundary, so it repeats everything from 10:00:01.
    const filter = new OverlapFilter(sequencer.cursor());
    const resumed = new LineSequencer("p", "c", sequencer.cursor());
    for (const line of log) if (filter.accept(line)) delivered.push(resumed.next(line));
    return delivered.map((line) => `${line.ts}|${line.text}|${line.id.split("#")[2]}`);
  }

  it("delivers every line exactly once wherever the stream broke, with stable ids", () => {
    const expected = deliverResumed(log.length);
    expect(expected).toHaveLength(log.length);
    for (let seen = 1; seen <= log.length; seen += 1) expect(deliverResumed(seen)).toEqual(expected);
  });

  it("keeps identical lines at the cursor's timestamp that were not seen yet", () => {
    const filter = new OverlapFilter({
      sortKey: normalizeTimestamp(T1)!,
      count: 2,
      textCounts: new Map([
        ["x", 1],
        ["y", 1],
      ]),
    });
    expect(log.map((line) => filter.accept(line))).toEqual([false, false, false, true, true, true]);
  });

  it("resumes after a client's last line id by position", () => {
    const filter = new OverlapFilter(cursorFromLineId(parseLineId(`${T1}#p/c#2`)!));
    expect(log.map((line) => filter.accept(line))).toEqual([false, false, false, false, true, true]);
  });
});

describe("Odoo level detection", () => {
  it.each([
    ["2026-11-23 10:00:01,123 1 ERROR brightpath odoo.sql_db: bad query", "ERROR"],
    ["2026-11-23 10:00:01,123 42 WARNING ? odoo.http: slow", "WARNING"],
    ["2026-11-23 10:00:01,123 7 INFO db werkzeug: GET /web 200", "INFO"],
    ["2026-11-23 10:00:01,123 7 DEBUG db odoo.models: x", "DEBUG"],
    ["2026-11-23 10:00:01,123 7 CRITICAL db odoo.service.server: down", "CRITICAL"],
    ["2026-11-23 10:00:01,123 7 \u001b[1;31mERROR\u001b[0m db odoo: coloured", "ERROR"],
  ])("%s", (text, level) => {
    expect(detectLevel(text)).toBe(level);
  });

  it("leaves tracebacks and free text without a level", () => {
    expect(detectLevel("Traceback (most recent call last):")).toBeUndefined();
    expect(detectLevel("psycopg2.OperationalError: ERROR connection refused")).toBeUndefined();
  });
});

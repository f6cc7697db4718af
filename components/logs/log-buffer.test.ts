import { describe, expect, it } from "vitest";
import { emptyView, indexOfSeq, LogBuffer, updateView, type LogViewFilter } from "./log-buffer";
import type { LogLine } from "./log-types";

function line(n: number, text = `line ${n}`, level?: LogLine["level"]): LogLine {
  return { id: `t${n}#p/c#0`, ts: `2026-11-23T10:00:${String(n % 60).padStart(2, "0")}Z`, pod: "p", container: "c", text, level };
}

const all: LogViewFilter = { key: "all", visible: () => true, isMatch: () => false };

describe("LogBuffer", () => {
  it("skips lines it already holds and bumps the version only on change", () => {
    const buffer = new LogBuffer();
    expect(buffer.append([line(1), line(2)])).toBe(2);
    expect(buffer.append([line(2), line(3)])).toBe(1);
    expect(buffer.version).toBe(2);
    expect(buffer.append([line(3)])).toBe(0);
    expect(buffer.version).toBe(2);
    expect(buffer.lines.map((l) => l.seq)).toEqual([0, 1, 2]);
  });

  it("gives continuation lines the level of the line above from the same container", () => {
    const buffer = new LogBuffer();
    buffer.append([line(1, "x ERROR boom", "ERROR"), line(2, "Traceback (most recent call last):"), line(3, "ok", "INFO"), line(4, "  more")]);
    expect(buffer.lines.map((l) => l.effectiveLevel)).toEqual(["ERROR", "ERROR", "INFO", "INFO"]);
  });

  it("strips colours into the plain text", () => {
    const buffer = new LogBuffer();
    buffer.append([line(1, "\u001b[31mred\u001b[0m")]);
    expect(buffer.lines[0].plain).toBe("red");
  });

  it("keeps at most the cap, dropping the oldest in chunks", () => {
    const buffer = new LogBuffer(10);
    buffer.append(Array.from({ length: 12 }, (_, n) => line(n)));
    expect(buffer.lines).toHaveLength(10);
    expect(buffer.base).toBe(2);
    expect(buffer.at(2)?.text).toBe("line 2");
    // A dropped id may come back (not a duplicate of anything still shown).
    expect(buffer.append([line(0)])).toBe(1);
  });
});

describe("updateView", () => {
  it("extends incrementally and rebuilds when the filter changes", () => {
    const buffer = new LogBuffer();
    buffer.append([line(1, "a"), line(2, "b"), line(3, "a")]);
    const onlyA: LogViewFilter = { key: "a", visible: (l) => l.plain === "a", isMatch: () => true };
    let view = updateView(emptyView(), buffer, onlyA);
    expect(view.seqs).toEqual([0, 2]);
    buffer.append([line(4, "a")]);
    view = updateView(view, buffer, { ...onlyA, visible: () => true }); // same key: old lines not rescanned
    expect(view.seqs).toEqual([0, 2, 3]);
    view = updateView(view, buffer, all);
    expect(view.seqs).toEqual([0, 1, 2, 3]);
    expect(view.matchSeqs).toEqual([]);
  });

  it("forgets lines the buffer dropped", () => {
    const buffer = new LogBuffer(10);
    buffer.append(Array.from({ length: 5 }, (_, n) => line(n)));
    let view = updateView(emptyView(), buffer, { ...all, isMatch: () => true });
    buffer.append(Array.from({ length: 7 }, (_, n) => line(n + 5)));
    view = updateView(view, buffer, { ...all, isMatch: () => true });
    expect(view.seqs[0]).toBe(2);
    expect(view.seqs).toHaveLength(10);
    expect(view.matchSeqs[0]).toBe(2);
  });
});

describe("indexOfSeq", () => {
  it("finds positions by binary search", () => {
    expect(indexOfSeq([1, 4, 9], 4)).toBe(1);
    expect(indexOfSeq([1, 4, 9], 5)).toBe(2);
    expect(indexOfSeq([], 5)).toBe(0);
  });
});

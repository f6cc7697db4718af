import { describe, expect, it } from "vitest";
import { buildMatcher } from "./log-search";

function matcher(query: string, regex = false, caseSensitive = false) {
  const built = buildMatcher({ query, regex, caseSensitive });
  if (!built.ok) throw new Error(built.error);
  return built;
}

describe("buildMatcher", () => {
  it("matches everything and highlights nothing for an empty query", () => {
    const m = matcher("");
    expect(m.active).toBe(false);
    expect(m.test("anything")).toBe(true);
    expect(m.ranges("anything")).toEqual([]);
  });

  it("matches plain text literally, ignoring case by default", () => {
    const m = matcher("error (db)");
    expect(m.test("2026 ERROR (DB) failed")).toBe(true);
    expect(m.test("error db")).toBe(false);
    expect(m.ranges("x Error (db) y error (db)")).toEqual([
      [2, 12],
      [15, 25],
    ]);
  });

  it("respects the case toggle", () => {
    expect(matcher("ERROR", false, true).test("error")).toBe(false);
    expect(matcher("ERROR", false, true).test("ERROR")).toBe(true);
  });

  it("gives the same answer on repeated calls (no lastIndex leaks)", () => {
    const m = matcher("a");
    expect([m.test("a"), m.test("a"), m.test("a")]).toEqual([true, true, true]);
  });

  it("runs regular expressions", () => {
    const m = matcher("exit code \\d+", true);
    expect(m.test("Exit code 137")).toBe(true);
    expect(m.ranges("exit code 1, exit code 22")).toEqual([
      [0, 11],
      [13, 25],
    ]);
  });

  it("does not loop on empty matches", () => {
    expect(matcher("x*", true).ranges("abc")).toEqual([]);
  });

  it("reports an invalid regular expression instead of throwing", () => {
    const built = buildMatcher({ query: "([a-", regex: true, caseSensitive: false });
    expect(built.ok).toBe(false);
    if (!built.ok) expect(built.error).toMatch(/^Invalid regular expression: /);
    expect(buildMatcher({ query: "([a-", regex: false, caseSensitive: false }).ok).toBe(true);
  });
});

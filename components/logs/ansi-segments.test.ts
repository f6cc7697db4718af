import { describe, expect, it } from "vitest";
import { ansiSegments, escapeControlChars, highlightSegments, plainText } from "./ansi-segments";

describe("ansiSegments", () => {
  it("keeps a line without escapes as one unstyled segment", () => {
    expect(ansiSegments("hello <b>world</b>")).toEqual([{ text: "hello <b>world</b>" }]);
  });

  it("turns SGR colours and bold into styles and drops the codes", () => {
    const segments = ansiSegments("\u001b[31mred\u001b[0m plain \u001b[1;32mgreen\u001b[0m");
    expect(plainText(segments)).toBe("red plain green");
    expect(segments[0]).toMatchObject({ text: "red", style: { color: expect.stringMatching(/^rgb\(/) } });
    expect(segments[1]).toEqual({ text: " plain " });
    expect(segments[2].style).toMatchObject({ fontWeight: "bold", color: expect.stringMatching(/^rgb\(/) });
  });

  it("shows stray control characters as visible symbols", () => {
    expect(plainText(ansiSegments("a\u0007b\u0000c\u001b]0;t\u0007"))).toBe("a\u2407b\u2400c\u241b]0;t\u2407");
  });
});

describe("escapeControlChars", () => {
  it("keeps tabs and printable text, maps C0 controls and DEL one for one", () => {
    expect(escapeControlChars("a\tb")).toBe("a\tb");
    expect(escapeControlChars("x\r\n\u007f")).toBe("x\u240d\u240a\u2421");
    expect(escapeControlChars("\u0001\u001f").length).toBe(2);
  });
});

describe("highlightSegments", () => {
  it("splits coloured runs at match boundaries", () => {
    const segments = ansiSegments("\u001b[31mERROR\u001b[0m db failed");
    const out = highlightSegments(segments, [[3, 8]]);
    expect(out.map((segment) => [segment.text, Boolean(segment.highlighted), Boolean(segment.style)])).toEqual([
      ["ERR", false, true],
      ["OR", true, true],
      [" db", true, false],
      [" failed", false, false],
    ]);
  });

  it("returns the segments unchanged without ranges", () => {
    expect(highlightSegments([{ text: "abc" }], [])).toEqual([{ text: "abc" }]);
  });
});

import { describe, expect, it } from "vitest";

import { hasControlCharacters, noControlCharactersMessage } from "./control-characters";

describe("hasControlCharacters", () => {
  it("finds NUL, other C0 controls and DEL", () => {
    for (const text of ["a\u0000b", "tab\there", "line\nbreak", "\u001b[31m", "del\u007f"]) expect(hasControlCharacters(text)).toBe(true);
  });

  it("lets ordinary text through, including non-Latin letters and emoji", () => {
    for (const text of ["Ada Lovelace", "Zoë Ångström", "山田 太郎", "🚀 launch"]) expect(hasControlCharacters(text)).toBe(false);
  });

  it("says what to do", () => {
    expect(noControlCharactersMessage("Names")).toBe("Names cannot contain control characters (such as NUL, tabs or line breaks); remove them and try again.");
  });
});

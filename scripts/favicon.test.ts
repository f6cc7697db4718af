import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

import { icoOf } from "./favicon";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The entries of an ICO file: size and the image bytes each points at. */
function entriesOf(ico: Buffer) {
  expect(ico.readUInt16LE(2), "type 1 is an icon").toBe(1);
  return Array.from({ length: ico.readUInt16LE(4) }, (_, index) => {
    const entry = 6 + 16 * index;
    const offset = ico.readUInt32LE(entry + 12);
    return { size: ico.readUInt8(entry) || 256, image: ico.subarray(offset, offset + ico.readUInt32LE(entry + 8)) };
  });
}

describe("favicon", () => {
  it("icoOf points each entry at its own image", () => {
    const a = Buffer.concat([PNG_SIGNATURE, Buffer.from("first")]);
    const b = Buffer.concat([PNG_SIGNATURE, Buffer.from("second image")]);
    const entries = entriesOf(
      icoOf([
        { size: 16, png: a },
        { size: 32, png: b },
      ]),
    );
    expect(entries.map((entry) => entry.size)).toEqual([16, 32]);
    expect(entries[0].image.equals(a)).toBe(true);
    expect(entries[1].image.equals(b)).toBe(true);
  });

  it("app/favicon.ico holds PNG images at 16, 32 and 48 px", () => {
    const entries = entriesOf(readFileSync(new URL("../app/favicon.ico", import.meta.url)));
    expect(entries.map((entry) => entry.size)).toEqual([16, 32, 48]);
    for (const { image } of entries) expect(image.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

import { colourScales, DARK_PALETTE_PATH, darkPaletteCss, tailwindThemeCss } from "./dark-palette";

const darkBlock = (css: string) => css.slice(css.indexOf(".dark {"), css.indexOf("}", css.indexOf(".dark {")));
const fixedBlock = (css: string) => css.slice(css.indexOf(".dark .fixed-palette {"));

describe("darkPaletteCss", () => {
  it("mirrors each scale, lifts the grey 500 and makes white the card colour", () => {
    // Values of Tailwind 4's own theme: red-50 and red-950, slate-500 and slate-900.
    const dark = darkBlock(darkPaletteCss(tailwindThemeCss()));
    expect(dark).toContain("--color-red-50: oklch(25.8% 0.092 26.042);");
    expect(dark).toContain("--color-red-950: oklch(97.1% 0.013 17.38);");
    // A coloured 500 stays (a dot, a bar); slate's 500 carries hint text and gets lighter.
    expect(dark).toContain("--color-red-500: oklch(63.7% 0.237 25.331);");
    expect(dark).toContain("--color-slate-500: oklch(66% 0.046 257.417);");
    expect(dark).toContain("--color-white: oklch(20.8% 0.042 265.755);");
    expect(dark).not.toContain("--color-black");
  });

  it("gives fixed-palette regions the light-mode values back", () => {
    const fixed = fixedBlock(darkPaletteCss(tailwindThemeCss()));
    expect(fixed).toContain("--color-slate-950: oklch(12.9% 0.042 264.695);");
    expect(fixed).toContain("--color-white: #fff;");
  });

  it("refuses a theme whose colours it cannot find", () => {
    expect(() => darkPaletteCss("@theme { --color-primary: red; }")).toThrow(/colour scales/);
  });

  it("app/dark-palette.css is what the generator writes for the installed Tailwind", () => {
    expect(colourScales(tailwindThemeCss()).size).toBeGreaterThan(20);
    expect(readFileSync(DARK_PALETTE_PATH, "utf8"), "run `npx tsx scripts/dark-palette.ts`").toBe(darkPaletteCss(tailwindThemeCss()));
  });
});

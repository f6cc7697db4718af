import { describe, expect, it } from "vitest";

import { chartColourCss } from "./chart-container";

describe("chartColourCss", () => {
  it("keeps a single colour for both themes", () => {
    expect(chartColourCss("#16a34a")).toBe("#16a34a");
  });

  it("turns a light/dark pair into light-dark(), which follows the page's color-scheme", () => {
    expect(chartColourCss({ light: "#047857", dark: "#34d399" })).toBe("light-dark(#047857, #34d399)");
  });
});

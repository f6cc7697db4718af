import { describe, expect, it } from "vitest";

import { join } from "node:path";

import { dataDirOf, PORTAL_HEAP_MB_DEFAULT, portalNodeOptions, repoRoot } from "./stack";

describe("portalNodeOptions", () => {
  it("caps the portal's old space by default and lets PORTAL_HEAP_MB change it", () => {
    expect(portalNodeOptions({})).toBe(`--max-old-space-size=${PORTAL_HEAP_MB_DEFAULT}`);
    expect(portalNodeOptions({ PORTAL_HEAP_MB: " 1024 " })).toBe("--max-old-space-size=1024");
  });

  it("puts the caller's NODE_OPTIONS last, so their own limit wins", () => {
    expect(portalNodeOptions({ NODE_OPTIONS: "--max-old-space-size=2048 --enable-source-maps" })).toBe(
      `--max-old-space-size=${PORTAL_HEAP_MB_DEFAULT} --max-old-space-size=2048 --enable-source-maps`,
    );
  });

  it("refuses a value that is not a sensible number of megabytes, saying what to do", () => {
    expect(() => portalNodeOptions({ PORTAL_HEAP_MB: "1g" })).toThrow(/whole number of megabytes.*got "1g".*Unset it/);
    expect(() => portalNodeOptions({ PORTAL_HEAP_MB: "64" })).toThrow(/at least 128/);
  });
});

describe("dataDirOf", () => {
  it("uses an absolute FLEETDECK_DATA_DIR as it is", () => {
    expect(dataDirOf({ FLEETDECK_DATA_DIR: "/srv/fleetdeck-data" })).toBe("/srv/fleetdeck-data");
  });

  it("puts a relative one, or the default, under the repository", () => {
    expect(dataDirOf({ FLEETDECK_DATA_DIR: "demo-data" })).toBe(join(repoRoot, "demo-data"));
    expect(dataDirOf({})).toBe(join(repoRoot, ".data"));
  });
});

import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, formatRelative } from "./time-format";

describe("time and size formatting", () => {
  it("prints kubectl-style ages", () => {
    expect(formatDuration(45_000)).toBe("45s");
    expect(formatDuration(12 * 60_000)).toBe("12m");
    expect(formatDuration((3 * 60 + 20) * 60_000)).toBe("3h20m");
    expect(formatDuration((4 * 24 + 2) * 3_600_000)).toBe("4d2h");
  });

  it("prints relative times in plain words", () => {
    const now = Date.parse("2026-01-01T10:00:00Z");
    expect(formatRelative("2026-01-01T09:59:58Z", now)).toBe("2 s ago");
    expect(formatRelative("2026-01-01T09:55:00Z", now)).toBe("5 min ago");
    expect(formatRelative("2026-01-01T07:00:00Z", now)).toBe("3 h ago");
    expect(formatRelative("not a date", now)).toBe("unknown");
  });

  it("prints binary sizes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1.5 * 1024 ** 3)).toBe("1.5 GiB");
    expect(formatBytes(undefined)).toBe("—");
  });
});

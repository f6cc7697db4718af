import { describe, expect, it } from "vitest";
import { shownLogStatus } from "./log-stream-status";

const since = Date.parse("2026-11-23T10:42:00Z");

describe("shownLogStatus", () => {
  it("says reconnecting, with the time of the last live line, while the browser is offline", () => {
    expect(shownLogStatus({ state: "live" }, { state: "reconnecting", since, offline: true })).toEqual({
      state: "reconnecting",
      since,
      message: "this browser is offline",
    });
    expect(shownLogStatus({ state: "connecting" }, { state: "reconnecting", since, offline: true })).toMatchObject({ state: "reconnecting" });
  });

  it("keeps the link's own reason while it dials again", () => {
    expect(shownLogStatus({ state: "reconnecting", message: "connection lost" }, { state: "reconnecting", since, offline: false })).toEqual({
      state: "reconnecting",
      since,
      message: "connection lost",
    });
  });

  it("leaves a live, ended, failed or newly opening stream as it is", () => {
    expect(shownLogStatus({ state: "live" }, { state: "live" })).toEqual({ state: "live" });
    expect(shownLogStatus({ state: "ended", message: "pod deleted" }, { state: "reconnecting", since, offline: true })).toEqual({
      state: "ended",
      message: "pod deleted",
    });
    expect(shownLogStatus({ state: "error", message: "denied" }, { state: "reconnecting", since, offline: true })).toEqual({
      state: "error",
      message: "denied",
    });
    expect(shownLogStatus({ state: "connecting" }, { state: "reconnecting", since, offline: false })).toEqual({ state: "connecting" });
  });
});

import { describe, expect, it } from "vitest";
import { initialLiveConnection, isResumed, liveStatusOf, reduceLiveConnection, type LiveConnection, type LiveConnectionEvent } from "./live-connection";

const T0 = Date.parse("2026-11-23T10:42:00Z");

function run(...events: LiveConnectionEvent[]): LiveConnection {
  return events.reduce(reduceLiveConnection, initialLiveConnection);
}

const open = (at: number): LiveConnectionEvent => ({ type: "stream", open: true, at });
const closed = (at: number): LiveConnectionEvent => ({ type: "stream", open: false, at });
const offline = (at: number): LiveConnectionEvent => ({ type: "network", online: false, at });
const online = (at: number): LiveConnectionEvent => ({ type: "network", online: true, at });

describe("live connection", () => {
  it("is connecting until the stream first opens, then live", () => {
    expect(liveStatusOf(run())).toEqual({ state: "connecting" });
    expect(liveStatusOf(run(closed(T0)))).toEqual({ state: "connecting" });
    expect(liveStatusOf(run(open(T0)))).toEqual({ state: "live" });
  });

  it("reconnects from the moment the stream is lost, and keeps that moment across further losses", () => {
    const lost = run(open(T0), closed(T0 + 1_000));
    expect(liveStatusOf(lost)).toEqual({ state: "reconnecting", since: T0 + 1_000, offline: false });
    const stillLost = run(open(T0), closed(T0 + 1_000), open(T0 + 2_000), offline(T0 + 2_000), closed(T0 + 5_000));
    expect(liveStatusOf(stillLost)).toEqual({ state: "reconnecting", since: T0 + 2_000, offline: true });
    expect(liveStatusOf(run(open(T0), closed(T0 + 1_000), open(T0 + 9_000)))).toEqual({ state: "live" });
  });

  it("is reconnecting while the browser is offline, whatever the stream last said", () => {
    expect(liveStatusOf(run(open(T0), offline(T0 + 3_000)))).toEqual({ state: "reconnecting", since: T0 + 3_000, offline: true });
    // Offline before the first connection: nothing can arrive, so say so rather than "connecting".
    expect(liveStatusOf(run(offline(T0)))).toEqual({ state: "reconnecting", since: T0, offline: true });
    // Back online with a stream that never broke: live again.
    expect(liveStatusOf(run(open(T0), offline(T0 + 3_000), online(T0 + 60_000)))).toEqual({ state: "live" });
    // Back online while the stream is still being dialled: reconnecting since the browser went offline.
    expect(liveStatusOf(run(open(T0), offline(T0 + 3_000), closed(T0 + 4_000), online(T0 + 60_000)))).toEqual({
      state: "reconnecting",
      since: T0 + 3_000,
      offline: false,
    });
  });

  it("is resumed only on the step from lost to live", () => {
    const live = run(open(T0));
    const lost = reduceLiveConnection(live, offline(T0 + 1_000));
    const back = reduceLiveConnection(lost, online(T0 + 2_000));
    expect(isResumed(initialLiveConnection, live)).toBe(false);
    expect(isResumed(live, lost)).toBe(false);
    expect(isResumed(lost, back)).toBe(true);
    expect(isResumed(back, reduceLiveConnection(back, open(T0 + 3_000)))).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { abortableSleep } from "./abortable-sleep";

describe("abortableSleep", () => {
  it("waits the time, wakes early on abort, and returns at once when already aborted", async () => {
    let started = performance.now();
    await abortableSleep(30, new AbortController().signal);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);

    const abort = new AbortController();
    started = performance.now();
    setTimeout(() => abort.abort(), 10);
    await abortableSleep(5_000, abort.signal);
    expect(performance.now() - started).toBeLessThan(1_000);

    started = performance.now();
    await abortableSleep(5_000, abort.signal);
    expect(performance.now() - started).toBeLessThan(50);
  });
});

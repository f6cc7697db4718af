import "server-only";

/**
 * Waits `ms`, or less if the signal aborts first, and never rejects: the retry loops that use it
 * (watches, log streams) check `signal.aborted` themselves after waking.
 */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

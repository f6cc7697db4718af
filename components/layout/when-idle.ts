/** The longest a deferred chunk waits for an idle moment on a page that keeps the browser busy. */
const IDLE_TIMEOUT_MS = 2_000;

/**
 * Runs `callback` once the browser is idle (Safari has no requestIdleCallback: a second later
 * there). Returns the cancel function, for an effect's cleanup.
 */
export function whenIdle(callback: () => void): () => void {
  if (typeof window.requestIdleCallback === "function") {
    const handle = window.requestIdleCallback(callback, { timeout: IDLE_TIMEOUT_MS });
    return () => window.cancelIdleCallback(handle);
  }
  const handle = window.setTimeout(callback, 1_000);
  return () => window.clearTimeout(handle);
}

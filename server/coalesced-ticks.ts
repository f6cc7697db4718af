import "server-only";

/**
 * Turns change notifications into an async stream of values: one value per burst of changes, at
 * most every `minIntervalMs` (changes during the pause fold into the next value), until the
 * signal aborts. `read` returning undefined skips a value; `emitInitial` yields one at once.
 * The live tRPC subscriptions (fleet, tenant, gates) are built on it.
 */
export async function* coalescedTicks<T>(
  subscribe: (notify: () => void) => () => void,
  signal: AbortSignal,
  minIntervalMs: number,
  read: () => T | undefined,
  emitInitial: boolean,
): AsyncGenerator<T> {
  let pending = emitInitial;
  let wake: (() => void) | undefined;
  const notify = () => {
    pending = true;
    wake?.();
  };
  const unsubscribe = subscribe(notify);
  const onAbort = () => wake?.();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    while (!signal.aborted) {
      if (!pending) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (signal.aborted) return;
      pending = false;
      const value = read();
      if (value !== undefined) yield value;
      // Changes arriving during this pause are folded into the next value.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, minIntervalMs);
        wake = () => {
          if (signal.aborted) {
            clearTimeout(timer);
            resolve();
          }
        };
      });
    }
  } finally {
    unsubscribe();
    signal.removeEventListener("abort", onAbort);
  }
}

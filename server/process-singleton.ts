import "server-only";

/**
 * The object stored under `key` for this process, created by `create` on the first call.
 *
 * Next.js evaluates a server module once per bundle that includes it (server components, route
 * handlers, instrumentation) and again after a dev reload, so a module-level `const` can exist
 * several times in one process: two database clients on one PGlite directory, two sets of
 * watches. The object hangs off globalThis under `Symbol.for(key)` instead, where every copy of
 * every module finds the one the first copy made.
 */
export function oncePerProcess<T>(key: string, create: () => T): T {
  const slots = globalThis as unknown as Record<symbol, unknown>;
  const slot = Symbol.for(key);
  if (!(slot in slots)) slots[slot] = create();
  return slots[slot] as T;
}

import superjson from "superjson";

type SuperJSONResult = ReturnType<typeof superjson.serialize>;

/**
 * The wire format is superjson's (`{ json, meta? }`), so Dates and the like survive the trip. Most
 * answers hold only JSON values, though, and superjson's generic walk costs more than the rest of
 * a cached query (a tenants page: ~0.5 ms, with the garbage it leaves). A plain walk that finds no
 * value needing superjson sends `{ json: value }`, which is exactly what superjson would send and
 * reads back with superjson.deserialize.
 */
export function serializeForWire(value: unknown): SuperJSONResult {
  return isPlainJson(value) ? { json: value as SuperJSONResult["json"] } : superjson.serialize(value);
}

/** The server's output side and the server-render dehydration use it; everything reads with superjson. */
export const wireTransformer = {
  serialize: serializeForWire,
  deserialize: superjson.deserialize,
};

/**
 * True when JSON.stringify/parse gives the value back unchanged. Object members that are undefined
 * count as plain (JSON drops them, and a missing member reads as undefined); array holes and
 * undefined items do not (JSON turns them into null).
 */
export function isPlainJson(value: unknown): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "undefined":
      return true;
    case "object": {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index++) {
          const item: unknown = value[index];
          if (item === undefined || !isPlainJson(item)) return false;
        }
        return true;
      }
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      for (const key in value) {
        if (!isPlainJson((value as Record<string, unknown>)[key])) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

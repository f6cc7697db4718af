import superjson from "superjson";
import { describe, expect, it } from "vitest";

import { isPlainJson, serializeForWire } from "@/lib/trpc/wire-format";

const roundTrip = (value: unknown) => superjson.deserialize(JSON.parse(JSON.stringify(serializeForWire(value))));

describe("serializeForWire", () => {
  it("sends plain JSON answers as superjson would, without walking them through superjson", () => {
    const page = {
      items: [{ id: "t1", health: "down", problems: [{ kind: "crash-loop", since: "2026-11-23T10:00:00Z" }], storageUsedPercent: null }],
      total: 1,
      facets: { health: { down: 1 } },
    };
    expect(serializeForWire(page)).toEqual(superjson.serialize(page));
    expect(serializeForWire(page).json).toBe(page);
    expect(roundTrip(page)).toEqual(page);
  });

  it("hands anything JSON would change to superjson, so it reads back the same", () => {
    const at = new Date("2026-11-23T10:00:00Z");
    for (const value of [
      { createdAt: at },
      { nested: [{ lastFailedSignInAt: at }] },
      [1, undefined, 3],
      { ratio: Number.NaN },
      { big: 10n },
      { seen: new Set(["a"]) },
      { byKind: new Map([["pods", 1]]) },
      -0,
    ]) {
      expect(isPlainJson(value)).toBe(false);
      expect(serializeForWire(value)).toEqual(superjson.serialize(value));
      expect(roundTrip(value)).toEqual(value);
    }
    expect((roundTrip({ createdAt: at }) as { createdAt: Date }).createdAt).toBeInstanceOf(Date);
  });

  it("treats an undefined member as plain: it reads back as undefined", () => {
    const value = { staleSince: undefined, kind: "pods" };
    expect(isPlainJson(value)).toBe(true);
    expect((roundTrip(value) as { staleSince?: string }).staleSince).toBeUndefined();
  });
});

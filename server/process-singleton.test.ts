import { afterEach, describe, expect, it, vi } from "vitest";

import { oncePerProcess } from "./process-singleton";

const keys: string[] = [];
function testKey(name: string): string {
  const key = `fleetdeck.test.${name}.${Math.random()}`;
  keys.push(key);
  return key;
}

afterEach(() => {
  for (const key of keys.splice(0)) delete (globalThis as unknown as Record<symbol, unknown>)[Symbol.for(key)];
});

describe("oncePerProcess", () => {
  it("creates the object once and returns the same one on every call", () => {
    const key = testKey("calls");
    const create = vi.fn(() => ({ created: Date.now() }));
    const first = oncePerProcess(key, create);
    expect(oncePerProcess(key, create)).toBe(first);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it("returns the first copy's object to a second copy of the module (Next loads some twice)", async () => {
    const key = testKey("imports");
    vi.resetModules();
    const firstCopy = await import("./process-singleton");
    vi.resetModules();
    const secondCopy = await import("./process-singleton");
    expect(secondCopy).not.toBe(firstCopy);
    const made = firstCopy.oncePerProcess(key, () => new Map<string, number>());
    expect(secondCopy.oncePerProcess(key, () => new Map<string, number>())).toBe(made);
  });

  it("keeps different keys apart", () => {
    const a = oncePerProcess(testKey("a"), () => ({ name: "a" }));
    const b = oncePerProcess(testKey("b"), () => ({ name: "b" }));
    expect(a).not.toBe(b);
    expect([a.name, b.name]).toEqual(["a", "b"]);
  });

  it("stores nothing when create throws, so the next call tries again", () => {
    const key = testKey("throws");
    expect(() =>
      oncePerProcess(key, () => {
        throw new Error("database not configured");
      }),
    ).toThrow("database not configured");
    expect(oncePerProcess(key, () => "made on the second call")).toBe("made on the second call");
  });
});

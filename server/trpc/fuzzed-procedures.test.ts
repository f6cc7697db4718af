import { describe, expect, it } from "vitest";

import { FUZZED_PROCEDURES } from "@/e2e/support/procedures";
import { appRouter } from "@/server/trpc/root";

describe("the fuzz spec's procedure list (e2e/support/procedures.ts)", () => {
  it("names every procedure of appRouter with its type, and nothing else", () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
    const actual = Object.fromEntries(Object.entries(procedures).map(([path, procedure]) => [path, procedure._def.type]));
    expect(Object.fromEntries(Object.entries(FUZZED_PROCEDURES).sort())).toEqual(Object.fromEntries(Object.entries(actual).sort()));
  });
});

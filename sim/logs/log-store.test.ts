import { describe, expect, it } from "vitest";
import { LogStore } from "./log-store";

describe("LogStore", () => {
  it("keeps current and previous logs and notifies followers", () => {
    const logs = new LogStore({ maxLinesPerContainer: 3 });
    const seen: string[] = [];
    let ended = false;
    logs.subscribe(
      "t",
      "p",
      "odoo",
      (l) => seen.push(l.text),
      () => (ended = true),
    );
    for (let i = 0; i < 6; i++) logs.append("t", "p", "odoo", `line ${i}`, new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
    expect(seen).toHaveLength(6);
    expect(logs.lines("t", "p", "odoo", { previous: false })!.map((l) => l.text)).toEqual(["line 3", "line 4", "line 5"]);
    expect(logs.lines("t", "p", "odoo", { previous: false })![0]!.ts).toBe("2026-01-01T00:00:03.000000000Z");
    expect(logs.lines("t", "p", "odoo", { previous: true })).toBeUndefined();
    logs.rotate("t", "p", "odoo");
    expect(ended).toBe(true);
    expect(logs.lines("t", "p", "odoo", { previous: true })).toHaveLength(3);
    expect(logs.lines("t", "p", "odoo", { previous: false })).toEqual([]);
    logs.drop("t", "p");
    expect(logs.lines("t", "p", "odoo", { previous: true })).toBeUndefined();
  });
});

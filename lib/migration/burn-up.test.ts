import { describe, expect, it } from "vitest";

import { computeBurnUp, weekStartOf, type BurnUpTask } from "./burn-up";

const created = new Date("2027-01-01T08:00:00Z");
const task = (overrides: Partial<BurnUpTask> = {}): BurnUpTask => ({
  status: "todo",
  workstream: "infrastructure",
  dueDate: null,
  doneAt: null,
  createdAt: created,
  ...overrides,
});
const done = (day: string, overrides: Partial<BurnUpTask> = {}) => task({ status: "done", doneAt: new Date(`${day}T15:00:00Z`), ...overrides });

describe("computeBurnUp", () => {
  it("with nothing done has zero pace and no forecast yet", () => {
    const result = computeBurnUp([task({ dueDate: "2027-01-20" }), task({ dueDate: "2027-02-10" })], { now: new Date("2027-01-05T12:00:00Z") });
    expect(result).toMatchObject({ total: 2, done: 0, pacePerDay: 0, forecastDate: null, onTrack: null, targetDate: "2027-02-10" });
    expect(result.points[0]).toMatchObject({ day: "2027-01-01", done: 0, scope: 2, planned: 0 });
    expect(result.points.at(-1)).toEqual({ day: "2027-02-10", scope: 2, planned: 2 });
    expect(result.points.some((point) => point.forecast !== undefined)).toBe(false);
  });

  it("forecasts the finish from the tasks done in the last 14 days", () => {
    // 7 done in the window => 0.5 a day; 10 remaining => 20 days from today.
    const tasks = [
      ...["2027-01-02", "2027-01-03", "2027-01-04", "2027-01-05", "2027-01-06", "2027-01-07", "2027-01-08"].map((day) => done(day)),
      done("2026-12-01", { createdAt: new Date("2026-11-20T00:00:00Z") }), // outside the window
      ...Array.from({ length: 10 }, () => task({ dueDate: "2027-02-15" })),
    ];
    const result = computeBurnUp(tasks, { now: new Date("2027-01-10T10:00:00Z") });
    expect(result.total).toBe(18);
    expect(result.done).toBe(8);
    expect(result.pacePerDay).toBe(0.5);
    expect(result.forecastDate).toBe("2027-01-30");
    expect(result.onTrack).toBe(true);
    const byDay = new Map(result.points.map((point) => [point.day, point]));
    expect(byDay.get("2026-11-20")).toMatchObject({ scope: 1, done: 0 });
    expect(byDay.get("2027-01-05")).toMatchObject({ done: 5, scope: 18 });
    expect(byDay.get("2027-01-10")).toMatchObject({ done: 8, forecast: 8 });
    expect(byDay.get("2027-01-12")).toMatchObject({ forecast: 9 });
    expect(byDay.get("2027-01-12")?.done).toBeUndefined();
    expect(byDay.get("2027-01-30")).toMatchObject({ forecast: 18 });
    expect(result.points.at(-1)?.day).toBe("2027-02-15");
  });

  it("a forecast after the target date is off track", () => {
    const result = computeBurnUp([done("2027-01-09"), task({ dueDate: "2027-01-12" }), task({ dueDate: "2027-01-12" })], {
      now: new Date("2027-01-10T00:00:00Z"),
    });
    // 1 done in 14 days: 2 remaining take 28 days.
    expect(result.forecastDate).toBe("2027-02-07");
    expect(result.onTrack).toBe(false);
    expect(result.points.at(-1)).toMatchObject({ day: "2027-02-07", forecast: 3 });
  });

  it("counts overdue and due-this-week tasks (Monday to Sunday), never done ones", () => {
    // 2027-01-13 is a Wednesday; its week runs 2027-01-11 .. 2027-01-17.
    expect(weekStartOf("2027-01-13")).toBe("2027-01-11");
    expect(weekStartOf("2027-01-11")).toBe("2027-01-11");
    expect(weekStartOf("2027-01-17")).toBe("2027-01-11");
    const tasks = [
      task({ dueDate: "2027-01-12" }), // overdue
      task({ dueDate: "2027-01-01", status: "blocked" }), // overdue
      done("2027-01-05", { dueDate: "2027-01-02" }), // done: neither
      task({ dueDate: "2027-01-13" }), // due today: this week
      task({ dueDate: "2027-01-17" }), // Sunday: this week
      task({ dueDate: "2027-01-18" }), // next week
      task({ dueDate: null }),
    ];
    expect(computeBurnUp(tasks, { now: new Date("2027-01-13T23:59:00Z") })).toMatchObject({ overdue: 2, dueThisWeek: 2 });
  });

  it("reports progress per workstream and a finished plan's finish day", () => {
    const result = computeBurnUp(
      [done("2027-01-03", { workstream: "testing" }), done("2027-01-04", { workstream: "testing" }), done("2027-01-02", { workstream: "security" })],
      { now: new Date("2027-03-01T00:00:00Z") },
    );
    expect(result.workstreams).toEqual([
      { workstream: "testing", done: 2, total: 2 },
      { workstream: "security", done: 1, total: 1 },
    ]);
    expect(result.forecastDate).toBe("2027-01-04");
    expect(result.pacePerDay).toBe(0);
  });

  it("starts the chart on the plan's first day when that comes before the tasks were created", () => {
    const result = computeBurnUp([task({ dueDate: "2027-01-10" })], { now: new Date("2027-01-02T00:00:00Z"), startDay: "2026-12-28" });
    expect(result.points[0]).toEqual({ day: "2026-12-28", done: 0, scope: 0, planned: 0 });
    expect(result.points.find((point) => point.day === "2027-01-01")).toMatchObject({ scope: 1 });
  });

  it("with no tasks at all shows one empty day", () => {
    const result = computeBurnUp([], { now: new Date("2027-01-01T00:00:00Z") });
    expect(result).toMatchObject({ total: 0, done: 0, forecastDate: null, targetDate: null, workstreams: [] });
    expect(result.points).toEqual([{ day: "2027-01-01", done: 0, scope: 0, planned: 0 }]);
  });
});

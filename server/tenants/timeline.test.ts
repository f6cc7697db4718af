import { describe, expect, it } from "vitest";

import type { EventView } from "@/lib/tenants/types";
import { mergeTimeline, type TimelineSources } from "./timeline";

const event = (reason: string, lastSeen: string | undefined, overrides: Partial<EventView> = {}): EventView => ({
  type: "Normal",
  reason,
  message: `${reason} happened`,
  object: { kind: "Pod", namespace: "tenant-acme", name: "odoo-acme-1" },
  count: 1,
  lastSeen,
  ...overrides,
});

function sources(): TimelineSources {
  return {
    events: [
      event("BackOff", "2026-12-03T10:05:00Z", { type: "Warning", count: 4, source: "kubelet" }),
      event("Pulled", "2026-12-03T08:00:00Z"),
      event("NoTime", undefined),
    ],
    runs: [
      {
        id: "run-1",
        runbookId: "restart-instance",
        title: "Restart instance",
        state: "succeeded",
        message: null,
        requestedByEmail: "operator@fleetdeck.local",
        requestedAt: new Date("2026-12-03T09:00:00Z"),
        startedAt: new Date("2026-12-03T09:00:05Z"),
        endedAt: new Date("2026-12-03T09:01:00Z"),
      },
      {
        id: "run-2",
        runbookId: "back-up-now",
        title: "Back up now",
        state: "failed",
        message: "The backup failed",
        requestedByEmail: "operator@fleetdeck.local",
        requestedAt: new Date("2026-12-03T11:00:00Z"),
        startedAt: null,
        endedAt: null,
      },
    ],
    migrationSteps: [
      {
        id: "step-1",
        at: new Date("2026-12-03T07:00:00Z"),
        fromState: "on-swarm",
        toState: "scheduled",
        actorEmail: "pm@fleetdeck.local",
        via: "person",
        reason: null,
        evidence: "wave plan",
      },
      {
        id: "step-2",
        at: new Date("2026-12-03T12:00:00Z"),
        fromState: "verified",
        toState: "rolled-back",
        actorEmail: "scripts",
        via: "token",
        reason: "DNS broke",
        evidence: null,
      },
    ],
    registry: [{ id: "created", at: new Date("2024-03-01T09:00:00Z"), change: "created", actor: "admin@fleetdeck.local" }],
  };
}

describe("tenant timeline merge", () => {
  it("merges the four sources newest first, in plain words, dropping events without a time", () => {
    const timeline = mergeTimeline(sources());
    expect(timeline.entries.map((entry) => [entry.kind, entry.at])).toEqual([
      ["migration", "2026-12-03T12:00:00.000Z"],
      ["runbook", "2026-12-03T11:00:00.000Z"],
      ["kubernetes", "2026-12-03T10:05:00.000Z"],
      ["runbook", "2026-12-03T09:01:00.000Z"],
      ["kubernetes", "2026-12-03T08:00:00.000Z"],
      ["migration", "2026-12-03T07:00:00.000Z"],
      ["registry", "2024-03-01T09:00:00.000Z"],
    ]);
    expect(timeline.counts).toEqual({ kubernetes: 2, runbook: 2, migration: 2, registry: 1 });
    expect(timeline.truncated).toBe(false);
    const [rollback, failedRun, backOff, restart] = timeline.entries;
    expect(rollback).toMatchObject({ title: "Migration: Verified → Rolled back", detail: "DNS broke", actor: "scripts (token)", tone: "danger" });
    expect(failedRun).toMatchObject({ title: "Back up now: failed", detail: "The backup failed", tone: "danger", href: "/runs/run-2" });
    expect(backOff).toMatchObject({ title: "BackOff on Pod/odoo-acme-1", detail: "BackOff happened (4 times)", tone: "warning", actor: "kubelet" });
    expect(restart).toMatchObject({ tone: "success", actor: "operator@fleetdeck.local" });
    expect(timeline.entries.at(-1)).toMatchObject({ title: "Instance created (registry)" });
    expect(new Set(timeline.entries.map((entry) => entry.id)).size).toBe(timeline.entries.length);
  });

  it("filters by kind but still counts every kind", () => {
    const timeline = mergeTimeline(sources(), { kinds: ["runbook", "registry"] });
    expect(timeline.entries.map((entry) => entry.kind)).toEqual(["runbook", "runbook", "registry"]);
    expect(timeline.counts.kubernetes).toBe(2);
    expect(mergeTimeline(sources(), { kinds: [] }).entries).toHaveLength(7);
  });

  it("keeps the newest entries up to the limit and says it cut", () => {
    const timeline = mergeTimeline(sources(), { limit: 2 });
    expect(timeline.entries.map((entry) => entry.id)).toEqual(["migration:step-2", "runbook:run-2"]);
    expect(timeline.truncated).toBe(true);
  });
});

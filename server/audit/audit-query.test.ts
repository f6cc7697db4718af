import { beforeEach, describe, expect, it } from "vitest";

import { useTestDatabase } from "@/scripts/test-support/test-database";

import { recordAuditEvent, type AuditEntry } from "./audit-log";
import { listAuditEvents, streamAuditEvents } from "./audit-query";

const db = useTestDatabase({ emptyBeforeEach: ["auditEvent", "user"] });

/** Writes rows one by one so their times increase in the order given. */
async function record(entries: Partial<AuditEntry>[]): Promise<void> {
  for (const entry of entries) {
    await recordAuditEvent(db, { actor: { name: "system" }, action: "test.any", targetKind: "tenant", targetId: "t-1", details: {}, ...entry });
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe("listAuditEvents", () => {
  beforeEach(async () => {
    await record([
      { actor: { name: "alice@test.local" }, action: "logs.read", targetKind: "tenant", targetId: "odoo-acme-1" },
      {
        actor: { name: "bob@test.local" },
        action: "procedure.call",
        targetKind: "procedure",
        targetId: "users.list",
        outcome: "denied",
        source: { address: "203.0.113.9" },
      },
      { actor: { name: "Alice@Test.Local" }, action: "user.role.change", targetKind: "user", targetId: "u-2" },
      { actor: { name: "bob@test.local" }, action: "logs.read", targetKind: "tenant", targetId: "odoo-globex-2" },
    ]);
  });

  it("lists newest first with the total and every action to filter by", async () => {
    const page = await listAuditEvents(db, {});
    expect(page.events.map((e) => e.targetId)).toEqual(["odoo-globex-2", "u-2", "users.list", "odoo-acme-1"]);
    expect(page).toMatchObject({ total: 4, page: 1, pageSize: 50, actions: ["logs.read", "procedure.call", "user.role.change"] });
    expect(page.events[2]).toMatchObject({ outcome: "denied", sourceAddress: "203.0.113.9", userAgent: null, at: expect.stringMatching(/Z$/) });
  });

  it("filters by who (any case), what, target (kind or id) and outcome", async () => {
    const targets = async (input: Parameters<typeof listAuditEvents>[1]) => (await listAuditEvents(db, input)).events.map((e) => e.targetId);
    expect(await targets({ who: "alice" })).toEqual(["u-2", "odoo-acme-1"]);
    expect(await targets({ action: "logs.read" })).toEqual(["odoo-globex-2", "odoo-acme-1"]);
    expect(await targets({ target: "GLOBEX" })).toEqual(["odoo-globex-2"]);
    expect(await targets({ target: "procedure" })).toEqual(["users.list"]);
    expect(await targets({ outcome: "denied" })).toEqual(["users.list"]);
    expect(await targets({ who: "bob", action: "logs.read" })).toEqual(["odoo-globex-2"]);
    expect((await listAuditEvents(db, { outcome: "failure" })).total).toBe(0);
  });

  it("filters by time: from is inclusive, to exclusive", async () => {
    const all = (await listAuditEvents(db, {})).events;
    const second = all[2].at;
    const third = all[1].at;
    const page = await listAuditEvents(db, { from: second, to: third });
    expect(page.events.map((e) => e.targetId)).toEqual(["users.list"]);
  });

  it("pages on the server", async () => {
    const first = await listAuditEvents(db, { page: 1, pageSize: 3 });
    const second = await listAuditEvents(db, { page: 2, pageSize: 3 });
    expect(first.events).toHaveLength(3);
    expect(second.events.map((e) => e.targetId)).toEqual(["odoo-acme-1"]);
    expect(second).toMatchObject({ total: 4, page: 2, pageSize: 3 });
  });
});

describe("streamAuditEvents", () => {
  it("yields every matching row newest first across batches", async () => {
    // More than one batch of 500, several in the same millisecond so the id must break the ties.
    await db.auditEvent.createMany({
      data: Array.from({ length: 1203 }, (_, index) => ({
        at: new Date(Date.UTC(2026, 0, 1, 0, 0, Math.floor(index / 4))),
        actorEmail: "bulk@test.local",
        action: index % 2 ? "test.odd" : "test.even",
        targetKind: "tenant",
        targetId: `t-${index}`,
      })),
    });
    const ids: string[] = [];
    for await (const row of streamAuditEvents(db, { action: "test.odd" })) ids.push(row.targetId);
    expect(ids).toHaveLength(601);
    expect(new Set(ids).size).toBe(601);
    expect(ids[0]).toBe("t-1201");
    // t-1 and t-3 share the oldest second; their order is the (random) id's.
    expect(["t-1", "t-3"]).toContain(ids.at(-1));
    expect(ids.slice(-2).sort()).toEqual(["t-1", "t-3"]);
  });
});

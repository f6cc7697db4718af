import { describe, expect, it } from "vitest";

import { groupAttention, unacknowledgedCount, type AttentionItem } from "@/lib/tenants/acknowledgements";
import { acknowledgeProblemInputSchema } from "@/lib/tenants/acknowledgement-schemas";
import type { FleetSummary } from "@/lib/tenants/types";
import { acknowledgeProblem, activeAcknowledgements, withAcknowledgements, withdrawAcknowledgement } from "@/server/tenants/acknowledgements";
import { useTestDatabase } from "@/scripts/test-support/test-database";

const TENANT = "3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f";
const OTHER = "9a1b2c3d-0000-4000-8000-000000000002";
const NOW = new Date("2026-12-04T10:00:00Z");
const reportsAll = () => true;

function item(tenantId: string, tenantName: string, overrides: Partial<AttentionItem> = {}): AttentionItem {
  return {
    kind: "crash-loop",
    severity: "critical",
    title: "Odoo keeps crashing",
    detail: "",
    tenantId,
    tenantName,
    since: "2026-12-04T09:00:00Z",
    ...overrides,
  };
}

describe("acknowledging a problem (database)", () => {
  const db = useTestDatabase({ emptyBeforeEach: ["auditEvent", "problemAcknowledgement", "user"] });

  async function person(email: string) {
    const user = await db.user.create({ data: { email, name: email, role: "operator", passwordHash: "x" } });
    return { id: user.id, email: user.email };
  }

  it("records who, why and until when, audited; it holds until it expires", async () => {
    const operator = await person("op@test.local");
    const ack = await acknowledgeProblem(
      db,
      operator,
      { tenantId: TENANT, problemKind: "crash-loop", reason: "Customer is upgrading", forHours: 4 },
      reportsAll,
      undefined,
      NOW,
    );
    expect(ack).toMatchObject({ acknowledgedByEmail: "op@test.local", reason: "Customer is upgrading", expiresAt: "2026-12-04T14:00:00.000Z" });
    expect(await activeAcknowledgements(db, new Date("2026-12-04T13:59:00Z"))).toHaveLength(1);
    expect(await activeAcknowledgements(db, new Date("2026-12-04T14:00:01Z"))).toEqual([]);
    const audit = await db.auditEvent.findMany({ where: { action: "attention.acknowledge" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorEmail: "op@test.local", targetKind: "tenant", targetId: TENANT });
    expect(audit[0].details).toMatchObject({ problemKind: "crash-loop", reason: "Customer is upgrading", expiresAt: "2026-12-04T14:00:00.000Z" });
  });

  it("a second acknowledgement replaces the first; withdrawing ends it, once", async () => {
    const a = await person("a@test.local");
    const b = await person("b@test.local");
    await acknowledgeProblem(db, a, { tenantId: TENANT, problemKind: "crash-loop", reason: "first", forHours: 1 }, reportsAll, undefined, NOW);
    const second = await acknowledgeProblem(db, b, { tenantId: TENANT, problemKind: "crash-loop", reason: "second", forHours: 24 }, reportsAll, undefined, NOW);
    const active = await activeAcknowledgements(db, NOW);
    expect(active.map((ack) => ack.reason)).toEqual(["second"]);
    await withdrawAcknowledgement(db, a, { acknowledgementId: second.id }, undefined, NOW);
    expect(await activeAcknowledgements(db, NOW)).toEqual([]);
    await expect(withdrawAcknowledgement(db, a, { acknowledgementId: second.id }, undefined, NOW)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await db.auditEvent.count({ where: { action: "attention.acknowledge-withdraw" } })).toBe(1);
  });

  it("refuses a problem the fleet does not report, writing nothing", async () => {
    const operator = await person("op2@test.local");
    await expect(
      acknowledgeProblem(db, operator, { tenantId: TENANT, problemKind: "volume-full", reason: "not there", forHours: 1 }, () => false, undefined, NOW),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.problemAcknowledgement.count()).toBe(0);
  });
});

describe("acknowledgement input", () => {
  it("needs a reason, a known kind and one of the offered durations", () => {
    expect(acknowledgeProblemInputSchema.safeParse({ tenantId: TENANT, problemKind: "crash-loop", reason: "known", forHours: 4 }).success).toBe(true);
    expect(acknowledgeProblemInputSchema.safeParse({ tenantId: TENANT, problemKind: "crash-loop", reason: " ", forHours: 4 }).success).toBe(false);
    expect(acknowledgeProblemInputSchema.safeParse({ tenantId: TENANT, problemKind: "on-fire", reason: "known", forHours: 4 }).success).toBe(false);
    expect(acknowledgeProblemInputSchema.safeParse({ tenantId: TENANT, problemKind: "crash-loop", reason: "known", forHours: 10_000 }).success).toBe(false);
    expect(acknowledgeProblemInputSchema.safeParse({ tenantId: TENANT, problemKind: "crash-loop", reason: "a\u0000b", forHours: 4 }).success).toBe(false);
  });
});

describe("needs attention, grouped", () => {
  const summary = (attention: AttentionItem[]): FleetSummary => ({
    total: 2,
    byHealth: {} as FleetSummary["byHealth"],
    attention,
    storagePressure: [],
    orphans: [],
    freshness: [],
    clusters: [],
    generatedAt: NOW.toISOString(),
  });

  it("names each problem's runbook and joins the acknowledgement that holds", () => {
    const joined = withAcknowledgements(summary([item(TENANT, "a"), item(TENANT, "a", { kind: "image-pull" })]), [
      {
        id: "ack-1",
        tenantId: TENANT,
        problemKind: "crash-loop",
        acknowledgedByEmail: "op@test.local",
        acknowledgedAt: NOW.toISOString(),
        expiresAt: "2026-12-04T14:00:00.000Z",
        reason: "known",
      },
    ]);
    expect(joined.attention[0]).toMatchObject({
      runbook: { id: "restart-instance", title: "Restart the instance" },
      acknowledgement: { id: "ack-1", reason: "known" },
    });
    expect(joined.attention[1].runbook).toBeUndefined();
    expect(joined.attention[1].acknowledgement).toBeUndefined();
    expect(unacknowledgedCount(joined.attention)).toBe(1);
  });

  it("groups by tenant: severity, then oldest first; fully acknowledged tenants last", () => {
    const ack = { id: "x", acknowledgedByEmail: "op@test.local", acknowledgedAt: NOW.toISOString(), expiresAt: NOW.toISOString(), reason: "known" };
    const groups = groupAttention([
      item(TENANT, "bravo", { severity: "warning", kind: "backup-failed", since: "2026-12-01T00:00:00Z" }),
      item(OTHER, "alpha", { since: "2026-12-04T08:00:00Z", acknowledgement: ack }),
      item("c0000000-0000-4000-8000-000000000003", "charlie", { since: "2026-12-04T09:30:00Z" }),
      item(TENANT, "bravo", { since: "2026-12-04T09:00:00Z" }),
      item("d0000000-0000-4000-8000-000000000004", "delta", { severity: "warning", kind: "not-ready", since: "2026-12-02T00:00:00Z" }),
    ]);
    expect(groups.map((g) => [g.tenantName, g.severity, g.acknowledged])).toEqual([
      ["bravo", "critical", false],
      ["charlie", "critical", false],
      ["delta", "warning", false],
      ["alpha", "critical", true],
    ]);
    // Inside a group: severity, then age; the group's age is its oldest open problem.
    expect(groups[0].problems.map((p) => p.kind)).toEqual(["crash-loop", "backup-failed"]);
    expect(groups[0].since).toBe("2026-12-01T00:00:00Z");
  });
});

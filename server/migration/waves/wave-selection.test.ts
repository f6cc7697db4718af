import { describe, expect, it } from "vitest";

import { waveCreateSchema, waveSelectionSchema } from "@/lib/migration/wave-schemas";
import type { TenantRecord } from "@/lib/tenants/types";
import { countedFailures, exitGate } from "./wave-service";
import { batchOf, selectWaveTenants, tenantSize, type SelectionCandidate } from "./wave-selection";

const GIB = 1024 ** 3;

function candidate(n: number, overrides: Partial<TenantRecord> = {}, rest: Partial<SelectionCandidate> = {}): SelectionCandidate {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  return {
    record: {
      id,
      name: `odoo-tenant-${String(n).padStart(2, "0")}`,
      databaseName: `tenant-${n}`,
      customerId: `cust-${n % 3}`,
      customerEmail: `owner${n}@example.com`,
      instanceType: "production",
      odooVersion: "17.0",
      billingStatus: "active",
      cluster: "default",
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-01-01T00:00:00Z",
      ...overrides,
    },
    state: "on-swarm",
    size: "small",
    ...rest,
  };
}

describe("choosing a wave's tenants", () => {
  it("applies every filter together, in name order, up to the limit", () => {
    const fleet = [
      candidate(3),
      candidate(1),
      candidate(2, { instanceType: "staging" }),
      candidate(4, { odooVersion: "16.0" }),
      candidate(5, {}, { size: "large" }),
      candidate(6, { customerEmail: "ops@brightpath.example" }),
    ];
    const all = selectWaveTenants(fleet, waveSelectionSchema.parse({}));
    expect(all.preview).toMatchObject({ matching: 6, eligible: 6, production: 5 });
    expect(all.tenantIds[0]).toBe(fleet[1].record.id); // odoo-tenant-01 first
    expect(selectWaveTenants(fleet, waveSelectionSchema.parse({ instanceTypes: ["staging"] })).tenantIds).toEqual([fleet[2].record.id]);
    expect(selectWaveTenants(fleet, waveSelectionSchema.parse({ odooVersions: ["16.0"] })).tenantIds).toEqual([fleet[3].record.id]);
    expect(selectWaveTenants(fleet, waveSelectionSchema.parse({ sizes: ["large"] })).tenantIds).toEqual([fleet[4].record.id]);
    expect(selectWaveTenants(fleet, waveSelectionSchema.parse({ customer: "BRIGHTPATH" })).tenantIds).toEqual([fleet[5].record.id]);
    expect(selectWaveTenants(fleet, waveSelectionSchema.parse({ limit: 2 })).tenantIds).toHaveLength(2);
    const picked = selectWaveTenants(fleet, waveSelectionSchema.parse({ tenantIds: [fleet[0].record.id, fleet[2].record.id], instanceTypes: ["production"] }));
    expect(picked.tenantIds).toEqual([fleet[0].record.id]);
  });

  it("leaves out tenants already on Kubernetes, migrating or in another open wave, and says why", () => {
    const fleet = [
      candidate(1),
      candidate(2, {}, { state: "native" }),
      candidate(3, {}, { state: "verified" }),
      candidate(4, {}, { openWaveName: "Canary" }),
      candidate(5, {}, { state: "rolled-back" }),
    ];
    const result = selectWaveTenants(fleet, waveSelectionSchema.parse({}));
    expect(result.tenantIds).toEqual([fleet[0].record.id, fleet[4].record.id]);
    expect(result.preview.excluded).toEqual(
      expect.arrayContaining([
        { reason: "already on Kubernetes (never on Swarm)", count: 1 },
        { reason: "already migrating", count: 1 },
        { reason: "already in wave “Canary”", count: 1 },
      ]),
    );
  });

  it("sizes tenants by their largest volume and numbers batches", () => {
    expect([tenantSize(undefined), tenantSize(5 * GIB), tenantSize(10 * GIB), tenantSize(50 * GIB), tenantSize(51 * GIB)]).toEqual([
      undefined,
      "small",
      "medium",
      "medium",
      "large",
    ]);
    expect([0, 9, 10, 19, 20].map((position) => batchOf(position, 10))).toEqual([0, 0, 1, 1, 2]);
  });

  it("refuses a wave without a sensible batch, concurrency, budget or window, with the reason", () => {
    const base = { name: "Wave 2", selection: {} };
    expect(waveCreateSchema.safeParse({ ...base, batchSize: 51 }).error?.issues[0].message).toBe("A batch holds at most 50 tenants.");
    expect(waveCreateSchema.safeParse({ ...base, concurrency: 0 }).error?.issues[0].message).toBe("Run at least 1 tenant at a time.");
    expect(waveCreateSchema.safeParse({ ...base, failureBudget: 0 }).error?.issues[0].message).toMatch(/at least 1 failed run/);
    expect(waveCreateSchema.safeParse({ ...base, windowStart: "2026-12-10T20:00:00Z", windowEnd: "2026-12-10T18:00:00Z" }).error?.issues[0].message).toBe(
      "The window must end after it starts.",
    );
    expect(waveCreateSchema.parse(base)).toMatchObject({ batchSize: 10, concurrency: 5, failureBudget: 3, exitGateHours: 24 });
  });
});

describe("the failure budget and the exit gate", () => {
  it("counts failed runs since the last resume only, and never interrupted ones", () => {
    const at = (iso: string) => new Date(iso);
    const runs = [
      { state: "failed", endedAt: at("2026-12-03T10:00:00Z") },
      { state: "failed", endedAt: at("2026-12-03T12:00:00Z") },
      { state: "interrupted", endedAt: at("2026-12-03T12:30:00Z") },
      { state: "succeeded", endedAt: at("2026-12-03T12:30:00Z") },
    ];
    expect(countedFailures({ budgetResetAt: null }, runs)).toBe(2);
    expect(countedFailures({ budgetResetAt: at("2026-12-03T11:00:00Z") }, runs)).toBe(1);
  });

  it("holds until every migrating tenant is verified, healthy, and has been for the hours asked", () => {
    const now = new Date("2026-12-03T12:00:00Z");
    const verifiedAt = new Date("2026-12-03T10:00:00Z");
    const healthy = { state: "verified" as const, verifiedAt, healthy: true };
    expect(exitGate({ exitGateHours: 0, now, tenants: [] })).toMatchObject({ passed: false });
    expect(exitGate({ exitGateHours: 0, now, tenants: [healthy, { state: "started-on-kubernetes", healthy: true }] })).toEqual({
      passed: false,
      summary: "1 of 2 tenants are not verified yet.",
    });
    expect(exitGate({ exitGateHours: 0, now, tenants: [healthy, { ...healthy, healthy: false }] }).summary).toBe(
      "1 of 2 verified tenants are not healthy now.",
    );
    expect(exitGate({ exitGateHours: 3, now, tenants: [healthy] })).toEqual({
      passed: false,
      summary: "Every tenant is verified and healthy; the exit gate holds for 1 more hour.",
    });
    expect(exitGate({ exitGateHours: 2, now, tenants: [healthy, { state: "rolled-back", healthy: false }] })).toEqual({
      passed: true,
      summary: "Every tenant verified and healthy for 2 hours.",
    });
  });
});

import { describe, expect, it } from "vitest";

import { useTestDatabase } from "@/scripts/test-support/test-database";
import { loadGateDbSnapshot } from "./gate-sources";

const db = useTestDatabase();
const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";

describe("loadGateDbSnapshot", () => {
  it("reads migration states, completed waves with their tenants, succeeded runs and the runbooks tasks name", async () => {
    await db.tenantMigration.create({ data: { tenantId: A, state: "verified", updatedByEmail: "pm@test.local" } });
    await db.tenantMigration.create({ data: { tenantId: B, state: "no-such-state", updatedByEmail: "pm@test.local" } });
    const wave = (name: string, state: string) =>
      db.migrationWave.create({
        data: {
          name,
          state,
          batchSize: 10,
          concurrency: 5,
          failureBudget: 2,
          exitGateHours: 24,
          createdByEmail: "pm@test.local",
          tenants: {
            create: [
              { tenantId: A, position: 0, batch: 0 },
              { tenantId: B, position: 1, batch: 0 },
            ],
          },
        },
      });
    await wave("Canary", "completed");
    await wave("Wave 2", "running");
    const run = (tenantId: string, runbookId: string, state: string, endedAt: string | null) =>
      db.runbookRun.create({
        data: {
          tenantId,
          tenantName: `t-${tenantId.slice(-1)}`,
          cluster: "default",
          namespace: "ns",
          runbookId,
          title: runbookId,
          risk: "low",
          input: {},
          state,
          plan: [],
          planHash: "h",
          plannedAt: new Date(),
          requestedByEmail: "operator@test.local",
          endedAt: endedAt ? new Date(endedAt) : null,
        },
      });
    await run(A, "restart-instance", "succeeded", "2026-12-01T10:00:00Z");
    await run(A, "restart-instance", "succeeded", "2026-12-02T10:00:00Z");
    await run(B, "restart-instance", "failed", "2026-12-02T11:00:00Z");
    await db.migrationTask.create({
      data: {
        week: 4,
        workstream: "testing",
        title: "Verify runbook in staging",
        priority: "must-have",
        gateId: "runbook-succeeded-in-staging",
        gateParam: "verify-instance",
      },
    });

    const snapshot = await loadGateDbSnapshot(db);
    expect(Object.fromEntries(snapshot.migrationStates)).toEqual({ [A]: "verified", [B]: "native" });
    expect(snapshot.waves).toEqual([{ id: expect.any(String), name: "Canary", state: "completed", tenantIds: [A, B] }]);
    expect(snapshot.succeededRuns).toEqual([{ runbookId: "restart-instance", tenantId: A, tenantName: "t-a", endedAt: "2026-12-02T10:00:00.000Z" }]);
    expect(snapshot.requests.map((request) => [request.gateId, request.param])).toEqual([
      ["production-backups-24h", null],
      ["finished-waves-healthy", null],
      ["volumes-bound-below-90", null],
      ["cluster-access", null],
      ["runbook-succeeded-in-staging", "restart-instance"],
      ["runbook-succeeded-in-staging", "verify-instance"],
    ]);
  });
});

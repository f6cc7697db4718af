import { describe, expect, it } from "vitest";

import { batchRunKey, describeSelection } from "@/lib/runbooks/runbook-batches";
import { runbookBatchCreateInputSchema, runbookBatchSelectionSchema } from "@/lib/runbooks/runbook-batch-schemas";
import { approvalReasons, countedBatchFailures, skipGroups } from "./batch-service";

describe("runs over a selection", () => {
  it("groups the tenants that would be passed over by reason, most common first, with a few names", () => {
    const groups = skipGroups(
      [
        { tenantId: "a", ok: false, reason: "The instance is already stopped.", risk: "low" },
        { tenantId: "b", ok: true, risk: "low" },
        { tenantId: "c", ok: false, reason: "No Deployment in the namespace.", risk: "low" },
        { tenantId: "d", ok: false, reason: "The instance is already stopped.", risk: "low" },
      ],
      (id) => `odoo-${id}`,
    );
    expect(groups).toEqual([
      { reason: "The instance is already stopped.", count: 2, examples: ["odoo-a", "odoo-d"] },
      { reason: "No Deployment in the namespace.", count: 1, examples: ["odoo-c"] },
    ]);
  });

  it("needs a second person above the configured size or for any high-risk run, and says why", () => {
    expect(approvalReasons(25, 0, 25, "Stop the instance")).toEqual([]);
    expect(approvalReasons(26, 0, 25, "Stop the instance")).toEqual(["26 tenants is more than 25, the size that runs without a second person."]);
    expect(approvalReasons(3, 1, 25, "Stop the instance")).toEqual(["1 of the runs (Stop the instance of a production instance) are high risk."]);
    expect(approvalReasons(30, 2, 25, "Stop the instance")).toHaveLength(2);
  });

  it("counts only the failures since the last resume against the budget", () => {
    const resumedAt = new Date("2026-12-04T10:00:00Z");
    const items = [
      { state: "failed", endedAt: new Date("2026-12-04T09:59:00Z") },
      { state: "failed", endedAt: new Date("2026-12-04T10:01:00Z") },
      { state: "succeeded", endedAt: new Date("2026-12-04T10:02:00Z") },
      { state: "skipped", endedAt: new Date("2026-12-04T10:03:00Z") },
    ];
    expect(countedBatchFailures({ budgetResetAt: null }, items)).toBe(2);
    expect(countedBatchFailures({ budgetResetAt: resumedAt }, items)).toBe(1);
  });

  it("keys each tenant's run by batch, tenant and attempt, and describes the selection in words", () => {
    expect(batchRunKey("b1", "t1", 2)).toBe("selection:b1:t1:2");
    expect(describeSelection({ filter: {} })).toBe("every tenant");
    expect(describeSelection({ filter: { q: "acme", health: ["down", "degraded"], instanceType: ["production"] } })).toBe(
      "search “acme” · health: down, degraded · instance type: production",
    );
    expect(describeSelection({ tenantIds: ["00000000-0000-4000-8000-000000000001"] })).toBe("1 tenant picked by hand");
  });

  it("refuses a selection or settings that cannot run, with a message that says what to do", () => {
    expect(runbookBatchSelectionSchema.safeParse({ tenantIds: [] }).error?.issues[0].message).toBe("Pick at least one tenant.");
    expect(runbookBatchSelectionSchema.safeParse({ filter: { page: 2 } }).success).toBe(false);
    const base = { request: { runbookId: "restart-instance", input: {} }, selection: { filter: {} }, failureBudget: 3, idempotencyKey: "key-12345678" };
    expect(runbookBatchCreateInputSchema.safeParse({ ...base, concurrency: 0 }).error?.issues[0].message).toBe("Run at least 1 at a time.");
    expect(runbookBatchCreateInputSchema.safeParse({ ...base, concurrency: 5 }).success).toBe(true);
    // A pod's runbook needs a target only one tenant has: not offered over a selection.
    expect(runbookBatchCreateInputSchema.safeParse({ ...base, concurrency: 5, request: { runbookId: "remove-stuck-pod", input: { pod: "x" } } }).success).toBe(
      false,
    );
  });
});

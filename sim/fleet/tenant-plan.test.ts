import { describe, expect, it } from "vitest";
import { DEMO_MISSING_TENANT, DEMO_PROBLEM_TENANTS, DEMO_SWARM_TENANTS, NAMED_PROBLEM_TENANTS, SWARM_MIN_TENANTS } from "./scenarios";
import { planFleet, registryExportOf } from "./tenant-plan";

const now = new Date("2026-11-23T10:00:00Z");

describe("fleet plan", () => {
  it("is the same fleet for the same seed and a different one for another seed", () => {
    const a = planFleet({ seed: 7, tenants: 120, scenario: "demo", now });
    const b = planFleet({ seed: 7, tenants: 120, scenario: "demo", now });
    const c = planFleet({ seed: 8, tenants: 120, scenario: "demo", now });
    expect(registryExportOf(a)).toEqual(registryExportOf(b));
    expect(a.tenants.map((t) => t.instanceName)).toEqual(b.tenants.map((t) => t.instanceName));
    expect(c.tenants.map((t) => t.instanceId)).not.toEqual(a.tenants.map((t) => t.instanceId));
  });

  it("names instances odoo-<db>-<id8> with valid Kubernetes names and unique databases", () => {
    const plan = planFleet({ seed: 1, tenants: 400, scenario: "degraded", now });
    const dbs = new Set(plan.tenants.map((t) => t.databaseName));
    expect(dbs.size).toBe(400);
    for (const t of plan.tenants) {
      expect(t.instanceName).toBe(`odoo-${t.databaseName}-${t.instanceId.replace(/-/g, "").slice(0, 8)}`);
      expect(`tenant-${t.databaseName}`).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(t.instanceName.length).toBeLessThanOrEqual(63);
      expect(t.instanceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(["16.0", "17.0", "18.0"]).toContain(t.odooVersion);
    }
    const troubled = plan.tenants.filter((t) => t.problem).length;
    expect(troubled / 400).toBeGreaterThan(0.2);
    expect(troubled / 400).toBeLessThan(0.4);
  });

  it("places every demo problem on its fixed database name", () => {
    const plan = planFleet({ seed: 3, tenants: 40, scenario: "demo", now });
    for (const [problem, db] of Object.entries(DEMO_PROBLEM_TENANTS)) {
      expect(plan.tenants.find((t) => t.databaseName === db)?.problem).toBe(problem);
    }
    // The classic ten plus the five runbook problems (fleets of 30 tenants or more).
    expect(plan.tenants.filter((t) => t.problem)).toHaveLength(15);
  });

  it("marks the named Swarm tenants and some other untroubled ones platform swarm, never a problem tenant or a small fleet", () => {
    const plan = planFleet({ seed: 1, tenants: 40, scenario: "demo", now });
    const swarm = plan.tenants.filter((t) => t.platform === "swarm");
    expect(swarm.map((t) => t.databaseName)).toEqual(expect.arrayContaining([...DEMO_SWARM_TENANTS]));
    expect(swarm.length).toBeGreaterThan(DEMO_SWARM_TENANTS.length);
    expect(swarm.length).toBeLessThan(12);
    expect(swarm.every((t) => !t.problem && !Object.values(NAMED_PROBLEM_TENANTS).includes(t.databaseName))).toBe(true);
    const rows = registryExportOf(plan);
    expect(rows.filter((r) => r.platform === "swarm").map((r) => r.id)).toEqual(swarm.map((t) => t.instanceId));

    const big = planFleet({ seed: 2, tenants: 2000, scenario: "scale", now });
    const share = big.tenants.filter((t) => t.platform === "swarm").length / big.tenants.filter((t) => !t.problem).length;
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.3);

    for (const [scenario, tenants] of [
      ["demo", SWARM_MIN_TENANTS - 1],
      ["demo", 12],
      ["healthy", 200],
    ] as const) {
      expect(planFleet({ seed: 1, tenants, scenario, now }).tenants.some((t) => t.platform === "swarm")).toBe(false);
    }
  });

  it("exports registry rows for every tenant except the orphan, plus the missing one", () => {
    const plan = planFleet({ seed: 1, tenants: 40, scenario: "demo", now });
    const rows = registryExportOf(plan);
    expect(rows).toHaveLength(40);
    const names = rows.map((r) => r.database_name);
    expect(names).not.toContain(DEMO_PROBLEM_TENANTS.orphaned);
    expect(names).toContain(DEMO_MISSING_TENANT);
    expect(Object.keys(rows[0]).sort()).toEqual([
      "admin_email",
      "billing_status",
      "created_at",
      "customer_id",
      "database_name",
      "id",
      "instance_type",
      "name",
      "odoo_version",
      "platform",
    ]);
    expect(rows.find((r) => r.database_name === DEMO_PROBLEM_TENANTS.suspended)?.billing_status).toBe("suspended");
  });

  it("plans 10,000 tenants", () => {
    const plan = planFleet({ seed: 1, tenants: 10_000, scenario: "scale", now });
    expect(plan.tenants).toHaveLength(10_000);
    expect(new Set(plan.tenants.map((t) => t.databaseName)).size).toBe(10_000);
    // The classic ten plus the five runbook problems (fleets of 30 tenants or more).
    expect(plan.tenants.filter((t) => t.problem)).toHaveLength(15);
  });
});

// The fleet as the instance service knows it: one plan per tenant, derived from the seed only.
import { companyFromDatabaseName, pickCompany, pickContactEmail } from "./company-names";
import { createRng } from "./prng";
import {
  DEMO_MISSING_TENANT,
  DEMO_SWARM_TENANTS,
  NAMED_PROBLEM_TENANTS,
  RANDOM_PROBLEMS,
  RESIZE_INFEASIBLE_STORAGE_CLASS,
  planScenario,
  type ScenarioName,
  type TenantProblem,
} from "./scenarios";

export type InstanceType = "development" | "staging" | "production";
export type BillingStatus = "active" | "trial" | "suspended" | "overdue";
export type OdooVersion = "16.0" | "17.0" | "18.0";
/** Where the instance service runs the tenant: Docker Swarm (not migrated yet) or Kubernetes. */
export type Platform = "kubernetes" | "swarm";

export interface ResourceSpec {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export interface TenantPlan {
  index: number;
  instanceId: string;
  id8: string;
  customerId: string;
  databaseName: string;
  instanceName: string;
  displayName: string;
  adminEmail: string;
  instanceType: InstanceType;
  odooVersion: OdooVersion;
  billingStatus: BillingStatus;
  createdAt: Date;
  problem?: TenantProblem;
  /** "swarm": served by Swarm; its Kubernetes Deployment waits at 0 replicas for the migration */
  platform: Platform;
  resources: ResourceSpec;
  storageGi: number;
  storageClass: string;
  volumeUsedFraction: number;
  backupSchedule: string;
  /** whether its pods keep writing log lines over time (kept low at scale) */
  liveLogs: boolean;
  /** when the currently running pod started */
  podStartedAt: Date;
}

export interface RegistryRecord {
  id: string;
  name: string;
  database_name: string;
  customer_id: string;
  admin_email: string;
  instance_type: InstanceType;
  odoo_version: OdooVersion;
  billing_status: BillingStatus;
  created_at: string;
  platform: Platform;
}

export interface FleetPlan {
  seed: string;
  scenario: ScenarioName;
  now: Date;
  tenants: TenantPlan[];
  /** registry rows that have no workload in the cluster */
  missing: RegistryRecord[];
}

const DAY = 86_400_000;

const RESOURCES: Record<InstanceType, ResourceSpec> = {
  development: { requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
  staging: { requests: { cpu: "250m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } },
  production: { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } },
};

// Larger than any node's allocatable memory, so the scheduler can never place it.
export const UNSCHEDULABLE_RESOURCES: ResourceSpec = {
  requests: { cpu: "4", memory: "160Gi" },
  limits: { cpu: "8", memory: "160Gi" },
};

export function instanceNameOf(databaseName: string, instanceId: string): string {
  return `odoo-${databaseName}-${instanceId.replace(/-/g, "").slice(0, 8)}`;
}

export function planFleet(opts: { seed: string | number; tenants: number; scenario: ScenarioName; now?: Date }): FleetPlan {
  const seed = String(opts.seed);
  const now = opts.now ?? new Date();
  const scenario = planScenario(opts.scenario, opts.tenants);
  const taken = new Set<string>([...Object.values(NAMED_PROBLEM_TENANTS), DEMO_MISSING_TENANT, ...DEMO_SWARM_TENANTS]);
  const tenants: TenantPlan[] = [];
  const customers: { id: string; databaseName: string; domain: string }[] = [];

  for (let index = 0; index < opts.tenants; index++) {
    const rng = createRng(seed, `tenant:${index}`);
    const named = scenario.namedProblems.get(index);
    const namedSwarm = named ? undefined : scenario.namedSwarm.get(index);
    let problem: TenantProblem | undefined = named;
    if (!problem && scenario.randomProblemRate > 0 && rng.chance(scenario.randomProblemRate)) {
      problem = rng.pick(RANDOM_PROBLEMS);
    }

    // Some customers run a second (staging) instance next to their production one.
    const sibling = !named && !namedSwarm && customers.length > 3 && rng.chance(0.08) ? rng.pick(customers) : undefined;
    let company;
    let customerId: string;
    if (named || namedSwarm) {
      company = companyFromDatabaseName(named ? NAMED_PROBLEM_TENANTS[named] : namedSwarm!, rng);
      customerId = rng.uuid();
    } else if (sibling && !taken.has(`${sibling.databaseName}-staging`)) {
      const databaseName = `${sibling.databaseName}-staging`;
      taken.add(databaseName);
      company = { ...companyFromDatabaseName(databaseName, rng), domain: sibling.domain };
      company.displayName = company.displayName.replace(/ Staging$/, " (staging)");
      customerId = sibling.id;
    } else {
      company = pickCompany(rng, taken);
      customerId = rng.uuid();
    }
    const instanceId = rng.uuid();
    if (!sibling) customers.push({ id: customerId, databaseName: company.databaseName, domain: company.domain });

    const instanceType: InstanceType = company.databaseName.endsWith("-staging")
      ? "staging"
      : problem === "unschedulable"
        ? "production"
        : rng.weighted({ production: 60, development: 25, staging: 15 });
    const odooVersion: OdooVersion = problem === "image-pull" ? "17.0" : rng.weighted({ "17.0": 50, "18.0": 30, "16.0": 20 });
    let billingStatus: BillingStatus = rng.weighted({ active: 78, trial: 14, overdue: 8 });
    if (problem === "suspended") billingStatus = "suspended";
    const ageDays = billingStatus === "trial" ? rng.int(1, 28) : rng.int(35, 900);
    const createdAt = new Date(now.getTime() - ageDays * DAY - rng.int(0, DAY - 1));
    const storageGi = instanceType === "production" ? rng.pick([20, 30, 40, 50]) : instanceType === "staging" ? rng.pick([10, 20]) : 10;
    const podAgeMs = Math.min(now.getTime() - createdAt.getTime(), rng.int(2, 40 * 24) * 3_600_000);
    // Drawn in the same order for every tenant, so the runbook problems leave the others' draws alone.
    const adminEmail = pickContactEmail(rng, company.domain);
    const drawnClass = rng.chance(0.9) ? "ceph-rbd" : "local-path";
    const storageClass = problem === "resize-infeasible" ? RESIZE_INFEASIBLE_STORAGE_CLASS : problem === "volume-expandable" ? "ceph-rbd" : drawnClass;
    const volumeUsedFraction =
      problem === "volume-full" ? 0.93 + rng.int(0, 40) / 1000 : problem === "volume-expandable" ? 0.95 + 0 * rng.next() : 0.05 + rng.next() * 0.6;

    tenants.push({
      index,
      instanceId,
      id8: instanceId.replace(/-/g, "").slice(0, 8),
      customerId,
      databaseName: company.databaseName,
      instanceName: instanceNameOf(company.databaseName, instanceId),
      displayName: company.displayName,
      adminEmail,
      instanceType,
      odooVersion,
      billingStatus,
      createdAt,
      problem,
      // A draw of its own, so choosing the platform leaves every other draw of the fleet alone.
      platform:
        !problem && (namedSwarm || (scenario.swarmShare > 0 && createRng(seed, `platform:${index}`).chance(scenario.swarmShare))) ? "swarm" : "kubernetes",
      resources: problem === "unschedulable" ? UNSCHEDULABLE_RESOURCES : RESOURCES[instanceType],
      storageGi,
      storageClass,
      volumeUsedFraction,
      backupSchedule: `${rng.int(0, 59)} ${rng.int(1, 4)} * * *`,
      liveLogs: problem !== undefined || rng.chance(scenario.liveLogShare),
      podStartedAt: new Date(now.getTime() - podAgeMs),
    });
  }

  const missing: RegistryRecord[] = [];
  if (scenario.includeMissingRecord) {
    const rng = createRng(seed, "tenant:missing");
    const company = companyFromDatabaseName(DEMO_MISSING_TENANT, rng);
    const id = rng.uuid();
    missing.push({
      id,
      name: instanceNameOf(company.databaseName, id),
      database_name: company.databaseName,
      customer_id: rng.uuid(),
      admin_email: pickContactEmail(rng, company.domain),
      instance_type: "production",
      odoo_version: "17.0",
      billing_status: "active",
      created_at: new Date(now.getTime() - 12 * DAY).toISOString(),
      platform: "kubernetes",
    });
  }

  return { seed, scenario: opts.scenario, now, tenants, missing };
}

export function registryRecordOf(tenant: TenantPlan): RegistryRecord {
  return {
    id: tenant.instanceId,
    name: tenant.instanceName,
    database_name: tenant.databaseName,
    customer_id: tenant.customerId,
    admin_email: tenant.adminEmail,
    instance_type: tenant.instanceType,
    odoo_version: tenant.odooVersion,
    billing_status: tenant.billingStatus,
    created_at: tenant.createdAt.toISOString(),
    platform: tenant.platform,
  };
}

/** The instance service's export: every tenant with a record, plus records without workloads. */
export function registryExportOf(plan: FleetPlan): RegistryRecord[] {
  return [...plan.tenants.filter((t) => t.problem !== "orphaned").map(registryRecordOf), ...plan.missing];
}

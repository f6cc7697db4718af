// Scenarios decide which tenants carry which problem. Demo problem tenants have fixed database
// names (ids still come from the seed) so tests and demos can address them by name.

export const SCENARIO_NAMES = ["demo", "healthy", "degraded", "scale"] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export type TenantProblem =
  | "crash-loop" // bad database host in its config: CrashLoopBackOff, traceback in logs
  | "oom-killed" // MemoryError then OOMKilled (exit 137), restarts
  | "image-pull" // bad image tag: ErrImagePull / ImagePullBackOff
  | "unschedulable" // requests bigger than any node: Pending + FailedScheduling
  | "pvc-pending" // PVC on a storage class that does not exist: Pending + ProvisioningFailed
  | "volume-full" // filestore PVC above 90% used (kubelet stats)
  | "stopped" // instance stopped by its owner: 0 replicas
  | "suspended" // billing suspended: 0 replicas + saasodoo.io/suspended-* annotations
  | "orphaned" // workload whose instance id has no record in the registry
  | "backup-failed" // latest odoo-backup Job failed with BackoffLimitExceeded
  // Runbook problems (placed only in fleets of RUNBOOK_PROBLEMS_MIN_TENANTS or more):
  | "stuck-terminating" // an old pod Terminating that its kubelet never removes (until force-deleted)
  | "volume-expandable" // filestore 95% used on ceph-rbd, which allows expansion
  | "eviction-blocked" // PodDisruptionBudget odoo-pdb (minAvailable 1) on its single replica
  | "quota-blocked" // stopped, and tenant-quota allows 0 pods: scaling up fails with FailedCreate
  | "resize-infeasible"; // healthy, filestore on ceph-rbd-capped: every expansion ends ControllerResizeInfeasible

/**
 * Database names of the demo scenario's problem tenants.
 *
 * | problem        | database name          | what the cluster shows                                  |
 * |----------------|------------------------|---------------------------------------------------------|
 * | crash-loop     | brightpath-logistics   | pod Running, container waiting CrashLoopBackOff, exit 1 |
 * | oom-killed     | harborline-analytics   | lastState.terminated reason OOMKilled, exitCode 137     |
 * | image-pull     | cedarwood-dental       | container waiting ImagePullBackOff (image odoo:17.0.1)  |
 * | unschedulable  | summit-manufacturing   | pod Pending, PodScheduled False Unschedulable            |
 * | pvc-pending    | lumen-architects       | PVC Pending (class ceph-ssd missing), pod Pending       |
 * | volume-full    | atlas-archives         | filestore 93% used in /stats/summary                    |
 * | stopped        | maplestreet-bakery     | Deployment replicas 0, no pods                          |
 * | suspended      | orchid-events          | billing suspended, replicas 0, suspension annotations   |
 * | orphaned       | oldfield-legal         | workload present, instance id absent from the registry  |
 * | backup-failed  | riverside-clinic       | newest backup Job Failed (BackoffLimitExceeded)         |
 *
 * The registry export also holds `quartz-consulting` (DEMO_MISSING_TENANT): a record with no
 * workload in the cluster at all.
 */
export const DEMO_PROBLEM_TENANTS: Readonly<Record<ClassicProblem, string>> = {
  "crash-loop": "brightpath-logistics",
  "oom-killed": "harborline-analytics",
  "image-pull": "cedarwood-dental",
  unschedulable: "summit-manufacturing",
  "pvc-pending": "lumen-architects",
  "volume-full": "atlas-archives",
  stopped: "maplestreet-bakery",
  suspended: "orchid-events",
  orphaned: "oldfield-legal",
  "backup-failed": "riverside-clinic",
};

export type RunbookProblem = "stuck-terminating" | "volume-expandable" | "eviction-blocked" | "quota-blocked" | "resize-infeasible";
export type ClassicProblem = Exclude<TenantProblem, RunbookProblem>;

/**
 * Database names of the runbook problem tenants (demo, degraded and scale, with at least
 * RUNBOOK_PROBLEMS_MIN_TENANTS tenants). The backup failure runbooks use riverside-clinic above.
 *
 * | problem           | database name          | what the cluster shows                                                   |
 * |-------------------|------------------------|--------------------------------------------------------------------------|
 * | stuck-terminating | granite-hardware       | a second odoo pod Terminating for 20 min (kubelet never finishes it), next to the Running replacement |
 * | volume-expandable | bluefin-media          | filestore 95% used on ceph-rbd (allowVolumeExpansion): expansion succeeds |
 * | eviction-blocked  | copperleaf-accounting  | PDB odoo-pdb minAvailable 1, 1 replica: disruptionsAllowed 0, eviction 429 |
 * | quota-blocked     | willow-pharmacy        | replicas 0, ResourceQuota tenant-quota pods: "0": scale up -> FailedCreate |
 * | resize-infeasible | ironbridge-studios     | healthy, filestore on ceph-rbd-capped: expansion ends ControllerResizeInfeasible |
 */
export const RUNBOOK_PROBLEM_TENANTS: Readonly<Record<RunbookProblem, string>> = {
  "stuck-terminating": "granite-hardware",
  "volume-expandable": "bluefin-media",
  "eviction-blocked": "copperleaf-accounting",
  "quota-blocked": "willow-pharmacy",
  "resize-infeasible": "ironbridge-studios",
};

/** Smaller fleets (unit tests use 12 tenants) keep only the classic problems, and their healthy tenants. */
export const RUNBOOK_PROBLEMS_MIN_TENANTS = 30;

/** Every named problem tenant's database name. */
export const NAMED_PROBLEM_TENANTS: Readonly<Record<TenantProblem, string>> = { ...DEMO_PROBLEM_TENANTS, ...RUNBOOK_PROBLEM_TENANTS };

export const DEMO_MISSING_TENANT = "quartz-consulting";

/**
 * Tenants still served by Docker Swarm (the migration to Kubernetes has not reached them): the
 * registry export says `platform: "swarm"`, and the "migration scripts" prepared their namespace,
 * PVC, Service and Ingress with the Deployment at 0 replicas. Only in fleets of SWARM_MIN_TENANTS
 * or more (smaller test fleets keep their counts) of the demo, degraded and scale scenarios; these
 * named ones come first, then about SWARM_SHARE of the other tenants without a problem.
 */
export const DEMO_SWARM_TENANTS = ["nimbus-freight", "tidewater-wines", "alder-books", "juniper-optics", "marlow-textiles", "pinecrest-dairy"] as const;
/** The named Swarm tenants migration-waves.spec.ts moves to Kubernetes (the others stay on Swarm for their specs). */
export const DEMO_WAVE_TENANTS = ["juniper-optics", "marlow-textiles", "pinecrest-dairy"] as const;
export const SWARM_MIN_TENANTS = 30;
export const SWARM_SHARE = 0.15;

export const BAD_IMAGE_TAG_SUFFIX = ".1"; // odoo:17.0.1 does not exist on Docker Hub
export const MISSING_STORAGE_CLASS = "ceph-ssd";

export interface ScenarioPlan {
  /** index in the fleet -> problem; demo names are used for these slots */
  namedProblems: Map<number, TenantProblem>;
  /** probability that any other tenant gets a random problem */
  randomProblemRate: number;
  includeMissingRecord: boolean;
  /** share of tenants whose pods write live log lines (health checks, requests) */
  liveLogShare: number;
  /** index in the fleet -> DEMO_SWARM_TENANTS name: tenants on Swarm by name */
  namedSwarm: Map<number, string>;
  /** probability that any other tenant without a problem is on Swarm */
  swarmShare: number;
}

const ALL_PROBLEMS = Object.keys(DEMO_PROBLEM_TENANTS) as ClassicProblem[];
const RUNBOOK_PROBLEMS = Object.keys(RUNBOOK_PROBLEM_TENANTS) as RunbookProblem[];

function spreadNamedProblems(tenantCount: number): Map<number, TenantProblem> {
  const slots = new Map<number, TenantProblem>();
  const usable = ALL_PROBLEMS.slice(0, Math.min(ALL_PROBLEMS.length, tenantCount));
  // Spread them through the fleet so they do not all sit on one page of a list.
  const stride = Math.max(1, Math.floor(tenantCount / (usable.length + 1)));
  const used = new Set<number>();
  usable.forEach((problem, k) => {
    let index = tenantCount >= usable.length * 2 ? Math.min(tenantCount - 1, (k + 1) * stride - 1) : k;
    while (used.has(index)) index = (index + 1) % tenantCount;
    used.add(index);
    slots.set(index, problem);
  });
  // Runbook problems sit next to the classic ones, which keep the slots they always had.
  if (tenantCount >= RUNBOOK_PROBLEMS_MIN_TENANTS) {
    const classic = [...slots.keys()];
    RUNBOOK_PROBLEMS.forEach((problem, k) => {
      let index = (classic[k]! + 1) % tenantCount;
      while (used.has(index)) index = (index + 1) % tenantCount;
      used.add(index);
      slots.set(index, problem);
    });
  }
  return slots;
}

/** The named Swarm tenants sit in free slots counted from the end of the fleet. */
function placeNamedSwarm(tenantCount: number, problems: Map<number, TenantProblem>): Map<number, string> {
  const slots = new Map<number, string>();
  if (tenantCount < SWARM_MIN_TENANTS) return slots;
  let index = tenantCount - 2;
  for (const name of DEMO_SWARM_TENANTS) {
    while (problems.has(index) || slots.has(index)) index--;
    slots.set(index, name);
    index -= 3;
  }
  return slots;
}

export function planScenario(scenario: ScenarioName, tenantCount: number): ScenarioPlan {
  const plan = planProblems(scenario, tenantCount);
  if (scenario === "healthy" || tenantCount < SWARM_MIN_TENANTS) return { ...plan, namedSwarm: new Map(), swarmShare: 0 };
  return { ...plan, namedSwarm: placeNamedSwarm(tenantCount, plan.namedProblems), swarmShare: SWARM_SHARE };
}

function planProblems(scenario: ScenarioName, tenantCount: number): Omit<ScenarioPlan, "namedSwarm" | "swarmShare"> {
  switch (scenario) {
    case "healthy":
      return { namedProblems: new Map(), randomProblemRate: 0, includeMissingRecord: false, liveLogShare: Math.min(1, 200 / Math.max(1, tenantCount)) };
    case "degraded": {
      const namedProblems = spreadNamedProblems(tenantCount);
      // About 30% of the fleet in trouble, counting the named ones.
      const others = tenantCount - namedProblems.size;
      const randomProblemRate = others > 0 ? Math.max(0, (0.3 * tenantCount - namedProblems.size) / others) : 0;
      return { namedProblems, randomProblemRate, includeMissingRecord: true, liveLogShare: Math.min(1, 200 / Math.max(1, tenantCount)) };
    }
    case "scale":
      return {
        namedProblems: spreadNamedProblems(tenantCount),
        randomProblemRate: 0,
        includeMissingRecord: true,
        liveLogShare: Math.min(1, 100 / Math.max(1, tenantCount)),
      };
    case "demo":
    default:
      return {
        namedProblems: spreadNamedProblems(tenantCount),
        randomProblemRate: 0,
        includeMissingRecord: true,
        liveLogShare: Math.min(1, 200 / Math.max(1, tenantCount)),
      };
  }
}

/** Problems a random degraded tenant may get (never another orphan: one is enough to show). */
export const RANDOM_PROBLEMS: readonly TenantProblem[] = ALL_PROBLEMS.filter((p) => p !== "orphaned");

export const RESIZE_INFEASIBLE_STORAGE_CLASS = "ceph-rbd-capped";

export function isScenarioName(value: string): value is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(value);
}

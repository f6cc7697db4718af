/**
 * What the UI renders about tenants. Plain JSON only (no Dates, no classes), so the same types
 * travel through tRPC and into client components. Shared by the server and the browser bundle.
 */
import type { DeploymentView, FeedFreshness, PodView, PvcView } from "@/lib/cluster/views";
import type { TenantMigrationStateOrNative } from "@/lib/migration/tenant-states";

export type { DeploymentView, FeedFreshness, PodView, PvcView };

/** "on-swarm": still served by Docker Swarm (or mid-migration); its Kubernetes workload is not expected to run yet. */
export const HEALTH_STATES = ["healthy", "degraded", "down", "stopped", "suspended", "provisioning", "missing", "on-swarm", "unknown"] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

export const PROBLEM_KINDS = [
  "crash-loop",
  "oom-killed",
  "image-pull",
  "unschedulable",
  "pvc-pending",
  "volume-full",
  "rollout-stuck",
  "backup-failed",
  "missing-workload",
  "orphan-workload",
  "not-ready",
  "node-lost",
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export const INSTANCE_TYPES = ["development", "staging", "production"] as const;
export type InstanceType = (typeof INSTANCE_TYPES)[number];

export const BILLING_STATUSES = ["active", "trial", "suspended", "overdue"] as const;
export type BillingStatus = (typeof BILLING_STATUSES)[number];

/** Where the instance service runs a tenant (the registry export's optional `platform`). */
export const PLATFORMS = ["kubernetes", "swarm"] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}

export interface Problem {
  kind: ProblemKind;
  severity: "critical" | "warning";
  /** Plain words, e.g. "Odoo keeps crashing (CrashLoopBackOff, 5 restarts)". */
  title: string;
  /** The cluster's own words (scheduler message, container message), for the detail line. */
  detail: string;
  /** ISO time the problem started, when known. */
  since?: string;
  objectRef?: ObjectRef;
}

/** The registry's view of a tenant (db row, dates as ISO strings). */
export interface TenantRecord {
  id: string;
  name: string;
  databaseName: string;
  customerId: string;
  customerEmail: string;
  instanceType: InstanceType;
  odooVersion: string;
  billingStatus: BillingStatus;
  cluster: string;
  createdAt: string;
  updatedAt: string;
}

/** A tenant's registry record joined with its cluster state. */
export interface TenantSummary extends TenantRecord {
  namespace?: string;
  health: HealthState;
  healthReason: string;
  problems: Problem[];
  readyReplicas: number;
  desiredReplicas: number;
  restarts: number;
  storageUsedPercent?: number;
  /** Its migration from Swarm ("native": provisioned on Kubernetes, nothing to migrate). */
  migrationState: TenantMigrationStateOrNative;
  /** When this summary last changed (a cluster object or the registry row). */
  updatedAt: string;
  /**
   * Set while the tenant's cluster cannot be watched (its API unreachable, a watch down): the rest
   * is the last known state, since `since`. Other clusters' tenants stay fresh.
   */
  stale?: { since?: string; error?: string };
}

export interface ServiceView {
  name: string;
  type?: string;
  clusterIP?: string;
  ports: { name?: string; port: number; targetPort?: string | number; protocol?: string }[];
}

export interface EventView {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  object: ObjectRef;
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  source?: string;
}

export interface TenantDetail extends TenantSummary {
  deployment?: DeploymentView;
  pods: PodView[];
  pvcs: PvcView[];
  service?: ServiceView;
  ingressHosts: string[];
  events: EventView[];
  backups: { name: string; status: "succeeded" | "failed" | "running"; startedAt?: string; finishedAt?: string }[];
}

export interface OrphanWorkload {
  /** The cluster whose workloads carry the instance id (the registry has no record of it for that cluster). */
  cluster: string;
  namespace: string;
  name: string;
  kind: string;
  instanceId: string;
  since?: string;
}

/**
 * One orphan (an instance id that workloads carry but the registry lacks): what it has in the
 * cluster and how the portal came to call it an orphan.
 */
export interface OrphanDetail {
  instanceId: string;
  cluster: string;
  namespace?: string;
  workloads: OrphanWorkload[];
  deployments: DeploymentView[];
  pods: PodView[];
  pvcs: PvcView[];
  services: string[];
  ingressHosts: string[];
  events: EventView[];
  /** The label that names the instance, and why the portal calls it an orphan, in words. */
  foundBy: { labelKey: string; reason: string };
}

export interface StoragePressureEntry {
  tenantId: string;
  tenantName: string;
  namespace: string;
  pvc: string;
  usedPercent: number;
  usedBytes: number;
  capacityBytes: number;
}

/**
 * One cluster as the overview and the tenants list show it: "live" when every watch is current,
 * "stale" when one is down (since `staleSince`, the cache's error in `error`), "loading" before its
 * first list, "not-connected" when registry rows name a cluster the portal has no connection to.
 */
export interface ClusterOverview {
  name: string;
  state: "live" | "stale" | "loading" | "not-connected";
  /** Registry tenants recorded in this cluster. */
  tenants: number;
  staleSince?: string;
  error?: string;
}

export interface FleetSummary {
  total: number;
  byHealth: Record<HealthState, number>;
  /**
   * Every problem with its tenant, the runbook that addresses it (when one does) and the
   * acknowledgement that holds now (when someone acknowledged it).
   */
  attention: (Problem & {
    tenantId: string;
    tenantName: string;
    /** The tenant's cluster (an orphan's: the cluster its workload runs in). */
    cluster?: string;
    runbook?: { id: string; title: string };
    acknowledgement?: { id: string; acknowledgedByEmail: string; acknowledgedAt: string; expiresAt: string; reason: string };
  })[];
  storagePressure: StoragePressureEntry[];
  orphans: OrphanWorkload[];
  /** One entry per watched kind plus kubelet volume stats, per cluster: the UI's staleness banner. */
  freshness: FeedFreshness[];
  /** Every cluster the portal reads or the registry names (the shown ones when filtered by cluster). */
  clusters: ClusterOverview[];
  generatedAt: string;
}

/** `health` ascending puts the most urgent first (down, degraded, missing, ...). */
export const TENANT_SORT_KEYS = [
  "name",
  "databaseName",
  "health",
  "instanceType",
  "billingStatus",
  "odooVersion",
  "restarts",
  "storage",
  "createdAt",
  "updatedAt",
] as const;
export type TenantSortKey = (typeof TENANT_SORT_KEYS)[number];

export interface TenantListFacets {
  health: Partial<Record<HealthState, number>>;
  instanceType: Partial<Record<InstanceType, number>>;
  billingStatus: Partial<Record<BillingStatus, number>>;
  odooVersion: Record<string, number>;
  problem: Partial<Record<ProblemKind, number>>;
  cluster: Record<string, number>;
}

/** What the tenants table shows of a problem; the details and object links are on the tenant page. */
export type ProblemBrief = Pick<Problem, "kind" | "severity" | "title" | "since">;

/** A tenants-list row: the summary with brief problems (it keeps a page of 25 rows about half the size). */
export type TenantListItem = Omit<TenantSummary, "problems"> & { problems: ProblemBrief[] };

export interface TenantListResult {
  items: TenantListItem[];
  total: number;
  page: number;
  pageSize: number;
  facets: TenantListFacets;
  /**
   * Workloads without a registry record that the search matches: listed when the "Orphan workload"
   * problem filter is on, or a search names one (the rows above are tenants, which orphans are not).
   */
  orphans: OrphanWorkload[];
  freshness: FeedFreshness[];
  /** Every cluster the portal reads or the registry names, whichever the filter shows. */
  clusters: ClusterOverview[];
}

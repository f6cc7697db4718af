import "server-only";
import type { ClusterReads, ClusterSource } from "@/server/kube/cluster-source";
import type { CacheChange, FeedFreshness, VolumeUsage } from "@/server/kube/cluster-store";
import { deploymentStatus, type DeploymentObject } from "@/server/kube/kinds/deployment";
import type { JobObject } from "@/server/kube/kinds/job";
import { pvcStatus } from "@/server/kube/kinds/persistent-volume-claim";
import { podStatus, type PodObject } from "@/server/kube/kinds/pod";
import { CLUSTER_FEEDS, type FeedName, type PodView, type PvcView } from "@/lib/cluster/views";
import { NATIVE_STATE, type TenantMigrationState, type TenantMigrationStateOrNative } from "@/lib/migration/tenant-states";
import { assessTenantHealth, type BackupRun } from "./health";
import type {
  ClusterOverview,
  EventView,
  OrphanDetail,
  OrphanWorkload,
  Problem,
  StoragePressureEntry,
  TenantDetail,
  TenantRecord,
  TenantSummary,
} from "@/lib/tenants/types";

/**
 * Joins the tenant registry (the authoritative list) with the cluster caches. A TenantSummary per
 * tenant is kept and recomputed only when one of that tenant's objects changed (a dirty set fed by
 * the cache's change listener), so listing 10,000 tenants does no per-request derivation.
 */

interface TenantObjects {
  namespace?: string;
  deployment?: DeploymentObject;
  pods: PodObject[];
  pvcs: PvcView[];
  backups: BackupRun[];
}

/** The tenant's namespace, its Odoo Deployment and the instance's pods (not its Job pods). */
export function instanceObjects(
  cluster: ClusterReads,
  record: Pick<TenantRecord, "id" | "name">,
): { namespace?: string; deployment?: DeploymentObject; pods: PodObject[] } {
  const namespaces = cluster.listForTenant("namespaces", record.id);
  const deployments = cluster.listForTenant("deployments", record.id);
  const deployment =
    deployments.find((d) => d.metadata.name === record.name) ?? deployments.find((d) => d.spec.containers.some((c) => c.name === "odoo")) ?? deployments[0];
  const namespace = namespaces[0]?.metadata.name ?? deployment?.metadata.namespace;
  // Backup Job pods carry the tenant label too; they are not the instance.
  const pods = cluster.listForTenant("pods", record.id).filter((pod) => !pod.metadata.ownerReferences.some((o) => o.kind === "Job"));
  return { namespace, deployment, pods };
}

/** Registry row → cluster state, for one tenant. */
function collectTenantObjects(cluster: ClusterReads, record: Pick<TenantRecord, "id" | "name">): TenantObjects {
  const { namespace, deployment, pods } = instanceObjects(cluster, record);
  const pvcs = cluster
    .listForTenant("persistentvolumeclaims", record.id)
    .map((pvc) =>
      pvcStatus(
        pvc,
        pvc.spec.storageClassName ? cluster.get("storageclasses", undefined, pvc.spec.storageClassName) : undefined,
        cluster.volumeUsage(pvc.metadata.namespace ?? "", pvc.metadata.name),
      ),
    );
  const backups = cluster.listForTenant("jobs", record.id).filter(isBackupJob).map(backupRun);
  return { namespace, deployment, pods, pvcs, backups };
}

export function isBackupJob(job: JobObject): boolean {
  return job.metadata.ownerReferences.some((o) => o.kind === "CronJob") || job.metadata.name.includes("backup");
}

export function backupRun(job: JobObject): BackupRun {
  const failed = job.status.conditions.find((c) => c.type === "Failed" && c.status === "True");
  const complete = job.status.conditions.find((c) => c.type === "Complete" && c.status === "True");
  const status: BackupRun["status"] = failed
    ? "failed"
    : complete || job.status.succeeded > 0
      ? "succeeded"
      : job.status.active === 0 && job.status.failed > 0
        ? "failed"
        : "running";
  return {
    name: job.metadata.name,
    status,
    startedAt: job.status.startTime ?? job.metadata.creationTimestamp,
    finishedAt: job.status.completionTime ?? failed?.lastTransitionTime,
    message: failed?.message ?? failed?.reason,
  };
}

function lostNodes(cluster: ClusterReads): Set<string> {
  return new Set(
    cluster
      .list("nodes")
      .filter((node) => node.status.ready !== "True")
      .map((node) => node.metadata.name),
  );
}

function pickPods(objects: TenantObjects): PodView[] {
  return objects.pods.map((pod) => podStatus(pod)).sort((a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? ""));
}

/** What a summary says of the tenant from its registry row alone. */
function registryFields(record: TenantRecord) {
  return {
    id: record.id,
    name: record.name,
    databaseName: record.databaseName,
    customerId: record.customerId,
    customerEmail: record.customerEmail,
    instanceType: record.instanceType,
    odooVersion: record.odooVersion,
    billingStatus: record.billingStatus,
    cluster: record.cluster,
  } satisfies Partial<TenantSummary>;
}

/** Pure derivation of one summary from a record and the cache (exported for tests and benches). */
export function buildTenantSummary(
  cluster: ClusterReads,
  record: TenantRecord,
  context: { lostNodes: ReadonlySet<string>; now: Date; migrationState?: TenantMigrationStateOrNative; stale?: TenantSummary["stale"] },
): TenantSummary {
  const migrationState = context.migrationState ?? NATIVE_STATE;
  const objects = collectTenantObjects(cluster, record);
  const deployment = objects.deployment ? deploymentStatus(objects.deployment) : undefined;
  const pods = pickPods(objects);
  const { health, healthReason, problems } = assessTenantHealth({
    billingStatus: record.billingStatus,
    recordCreatedAt: record.createdAt,
    clusterSynced: cluster.isWarm(),
    namespace: objects.namespace,
    deployment,
    pods,
    pvcs: objects.pvcs,
    backups: objects.backups,
    lostNodes: context.lostNodes,
    migrationState,
    now: context.now,
  });
  const usages = objects.pvcs.map((pvc) => pvc.usedPercent).filter((p): p is number => p !== undefined);
  return {
    ...registryFields(record),
    namespace: objects.namespace,
    health,
    healthReason,
    problems,
    readyReplicas: deployment?.ready ?? 0,
    desiredReplicas: deployment?.desired ?? 0,
    restarts: pods.reduce((sum, pod) => sum + pod.restarts, 0),
    storageUsedPercent: usages.length > 0 ? Math.max(...usages) : undefined,
    migrationState,
    createdAt: record.createdAt,
    updatedAt: context.now.toISOString(),
    // Only while the cluster is stale, so a fresh summary has the shape it always had.
    ...(context.stale ? { stale: context.stale } : {}),
  };
}

/** The newest 50 events about an instance's objects. */
function recentEvents(cluster: ClusterReads, instanceId: string): EventView[] {
  return cluster
    .listForTenant("events", instanceId)
    .sort((a, b) => (b.lastTimestamp ?? "").localeCompare(a.lastTimestamp ?? ""))
    .slice(0, 50)
    .map((event) => ({
      type: event.type === "Warning" ? "Warning" : "Normal",
      reason: event.reason ?? "",
      message: event.message ?? "",
      object: { kind: event.involvedObject.kind ?? "", namespace: event.involvedObject.namespace, name: event.involvedObject.name ?? "" },
      count: event.count,
      firstSeen: event.firstTimestamp,
      lastSeen: event.lastTimestamp,
      source: event.source,
    }));
}

/**
 * What the cluster has for an instance id the registry lacks (the orphan's `workloads`, from
 * TenantDirectory.orphans()): every object carrying its label, the same way a tenant's are found.
 */
export function buildOrphanDetail(cluster: ClusterSource, instanceId: string, workloads: OrphanWorkload[]): OrphanDetail {
  const objects = collectTenantObjects(cluster, { id: instanceId, name: workloads[0]?.name ?? "" });
  const deployments = cluster.listForTenant("deployments", instanceId);
  const namespaces = [...new Set(deployments.map((d) => d.metadata.namespace ?? ""))];
  const replicaSets = namespaces.flatMap((namespace) => cluster.listInNamespace("replicasets", namespace));
  const where = workloads.map((w) => `${w.kind} ${w.namespace}/${w.name}`).join(", ");
  return {
    instanceId,
    cluster: cluster.name,
    namespace: objects.namespace,
    workloads,
    deployments: deployments.map((deployment) => deploymentStatus(deployment, replicaSets)),
    pods: pickPods(objects),
    pvcs: objects.pvcs,
    services: cluster.listForTenant("services", instanceId).map((service) => service.metadata.name),
    ingressHosts: [...new Set(cluster.listForTenant("ingresses", instanceId).flatMap((ingress) => ingress.spec.hosts))],
    events: recentEvents(cluster, instanceId),
    foundBy: {
      labelKey: cluster.tenantLabelKey,
      reason: `${where} carries the label ${cluster.tenantLabelKey}=${instanceId}, and the tenant registry has no record with that id for cluster ${cluster.name}.`,
    },
  };
}

export function buildTenantDetail(cluster: ClusterReads, record: TenantRecord, summary: TenantSummary): TenantDetail {
  const objects = collectTenantObjects(cluster, record);
  const replicaSets = objects.namespace ? cluster.listInNamespace("replicasets", objects.namespace) : [];
  const services = cluster.listForTenant("services", record.id);
  const service = services.find((s) => s.metadata.name === record.name) ?? services[0];
  const events = recentEvents(cluster, record.id);
  return {
    ...summary,
    deployment: objects.deployment ? deploymentStatus(objects.deployment, replicaSets) : undefined,
    pods: pickPods(objects),
    pvcs: objects.pvcs,
    service: service ? { name: service.metadata.name, type: service.spec.type, clusterIP: service.spec.clusterIP, ports: service.spec.ports } : undefined,
    ingressHosts: [...new Set(cluster.listForTenant("ingresses", record.id).flatMap((ingress) => ingress.spec.hosts))],
    events,
    backups: objects.backups
      .sort((a, b) => (b.startedAt ?? "").localeCompare(a.startedAt ?? ""))
      .map(({ name, status, startedAt, finishedAt }) => ({ name, status, startedAt, finishedAt })),
  };
}

export interface TenantDirectoryOptions {
  /**
   * The clusters the portal reads. Each registry row is joined with the cluster its `cluster`
   * names, by the tenant label within that cluster; a row naming a cluster not among these is
   * listed as "unknown", saying so.
   */
  clusters: readonly ClusterSource[];
  loadRegistry: () => Promise<TenantRecord[]>;
  registryRefreshMs?: number;
  /**
   * A cheap fingerprint of the registry table (its row count and newest change), asked every
   * `registryCheckMs` (default 2 s): when it moved, the rows are reloaded then rather than at the
   * next full refresh. Another process may have written them: a replica's Registry page, the
   * import CLI. Without it, a tenant imported through one replica was unknown to the others (its
   * page not found, its workloads listed as orphans) for up to `registryRefreshMs`.
   */
  registryVersion?: () => Promise<string>;
  registryCheckMs?: number;
  /**
   * Every tenant's migration state (tenants without a row are "native"). Loaded with the registry,
   * then again every `migrationRefreshMs` (another process may have moved a tenant) and shortly after
   * this process tells the directory of a write (migrationStatesWritten).
   */
  loadMigrationStates?: () => Promise<ReadonlyMap<string, TenantMigrationState>>;
  migrationRefreshMs?: number;
  /** Grace periods (not ready, provisioning, pending volume) need a periodic recompute of unsettled tenants. */
  recomputeAllMs?: number;
  now?: () => Date;
}

type TenantListener = (tenantId: string) => void;

/** Feeds whose outage leaves a tenant's summary out of date (events and kubelet volume stats only enrich it). */
const TENANT_STALENESS_FEEDS: ReadonlySet<FeedName> = new Set(CLUSTER_FEEDS.filter((feed) => feed !== "events" && feed !== "volume-stats"));

/** Since when (and why) the cluster's tenant-bearing watches are down; undefined while they are current. */
function clusterStaleness(cluster: ClusterReads): TenantSummary["stale"] {
  const down = cluster.freshness().filter((feed) => TENANT_STALENESS_FEEDS.has(feed.kind) && feed.synced && feed.staleSince !== undefined);
  if (down.length === 0) return undefined;
  const first = down.reduce((a, b) => (a.staleSince! <= b.staleSince! ? a : b));
  return { since: first.staleSince, ...(first.error ? { error: first.error } : {}) };
}

/** Before its first complete list: the error of a feed that could not list (the cluster unreachable, a kind forbidden), if any. */
function firstListError(cluster: ClusterReads): string | undefined {
  return cluster.freshness().find((feed) => !feed.synced && feed.error)?.error;
}

/** What the directory keeps per cluster: its state as tenants see it, its lost nodes and its orphans. */
interface ClusterState {
  source: ClusterSource;
  warm: boolean;
  stale: TenantSummary["stale"];
  /** Not warm yet and failing to list: why (its tenants say so instead of "waiting"). */
  listError: string | undefined;
  lostNodeNames: Set<string>;
  orphanList: OrphanWorkload[] | undefined;
}

/**
 * The tenant registry joined with every configured cluster: one summary per registry row, from the
 * cluster the row names. Per cluster: its warmth, its staleness (one cluster's watches down marks
 * only its tenants stale), its lost nodes and its orphans.
 */
export class TenantDirectory {
  private readonly options: TenantDirectoryOptions;
  private readonly clusters = new Map<string, ClusterState>();
  private records = new Map<string, TenantRecord>();
  /** Registry tenant ids by the cluster their row names. */
  private idsByCluster = new Map<string, string[]>();
  private migrationStates = new Map<string, TenantMigrationState>();
  private migrationRecheck: ReturnType<typeof setTimeout> | undefined;
  private readonly summariesById = new Map<string, TenantSummary>();
  private readonly dirty = new Set<string>();
  private allDirty = true;
  private orphanSignature = "[]";
  private orphanAll: OrphanWorkload[] | undefined;
  private orphanParts: OrphanWorkload[][] = [];
  private summaryList: TenantSummary[] | undefined;
  private readonly firstSeen = new Map<string, string>();
  private registryLoad: Promise<void> | undefined;
  /** Loads run one after another, so an older read never lands after a newer one. */
  private registryQueue: Promise<void> = Promise.resolve();
  /** The registryVersion the rows in `records` were read at (read before them); undefined before the first load. */
  private registryVersionLoaded: string | undefined;
  private checkingRegistryVersion = false;
  private registryError: Error | undefined;
  private readonly tenantListeners = new Set<TenantListener>();
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private unsubscribers: (() => void)[] | undefined;
  /** Bumped when a summary or the orphan list changed; read it after summaries() and orphans(). */
  version = 0;

  constructor(options: TenantDirectoryOptions) {
    this.options = options;
    for (const source of options.clusters) {
      if (this.clusters.has(source.name)) throw new Error(`two clusters are named "${source.name}"`);
      this.clusters.set(source.name, { source, warm: false, stale: undefined, listError: undefined, lostNodeNames: new Set(), orphanList: undefined });
    }
  }

  /** The configured clusters, in configuration order. */
  clusterSources(): ClusterSource[] {
    return [...this.clusters.values()].map((state) => state.source);
  }

  /** The cluster a tenant's registry row names, when the portal reads it. */
  clusterOf(tenantId: string): ClusterSource | undefined {
    const record = this.records.get(tenantId);
    return record ? this.clusters.get(record.cluster)?.source : undefined;
  }

  start(): void {
    if (this.unsubscribers) return;
    this.unsubscribers = [...this.clusters.values()].map((state) => state.source.onChange((change) => this.clusterChanged(state, change)));
    void this.invalidateRegistry();
    const refresh = setInterval(() => void this.invalidateRegistry(), this.options.registryRefreshMs ?? 60_000);
    const recompute = setInterval(() => this.markUnsettledDirty(), this.options.recomputeAllMs ?? 30_000);
    const migrations = setInterval(() => void this.reloadMigrationStates(), this.options.migrationRefreshMs ?? 15_000);
    refresh.unref?.();
    recompute.unref?.();
    migrations.unref?.();
    this.timers.push(refresh, recompute, migrations);
    if (this.options.registryVersion) {
      const check = setInterval(() => void this.reloadRegistryIfChanged(), this.options.registryCheckMs ?? 2_000);
      check.unref?.();
      this.timers.push(check);
    }
  }

  /** Reloads the registry when its fingerprint moved since the rows were read (another process wrote it). */
  async reloadRegistryIfChanged(): Promise<void> {
    if (!this.options.registryVersion || this.checkingRegistryVersion || this.registryVersionLoaded === undefined) return;
    this.checkingRegistryVersion = true;
    try {
      if ((await this.options.registryVersion()) !== this.registryVersionLoaded) await this.invalidateRegistry();
    } catch (error) {
      // The full refresh still comes; a database that does not answer is reported by the reads.
      console.error("[tenants] registry version check failed", error);
    } finally {
      this.checkingRegistryVersion = false;
    }
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribers ?? []) unsubscribe();
    this.unsubscribers = undefined;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    if (this.migrationRecheck) clearTimeout(this.migrationRecheck);
    this.migrationRecheck = undefined;
  }

  private clusterChanged(state: ClusterState, change: CacheChange): void {
    if (change.kind === "nodes") this.nodesChanged(state);
    // `version` is not bumped here: flush() bumps it only when a recomputed summary differs, so
    // the steady stream of events, heartbeats and status writes of a large fleet that change no
    // summary keeps the tenants-list memo warm (at 10,000 tenants it was invalidated constantly).
    if (change.name === "*" || change.kind === "storageclasses" || change.kind === "nodes") {
      const warm = state.source.isWarm();
      const stale = clusterStaleness(state.source);
      const listError = warm ? undefined : firstListError(state.source);
      const flipped = warm !== state.warm || listError !== state.listError || JSON.stringify(stale) !== JSON.stringify(state.stale);
      state.warm = warm;
      state.stale = stale;
      state.listError = listError;
      if (change.kind === "storageclasses" || flipped) this.markClusterDirty(state);
      if (change.name === "*") state.orphanList = undefined;
      return;
    }
    if (!change.tenantId) return;
    this.dirty.add(change.tenantId);
    if (this.records.get(change.tenantId)?.cluster !== state.source.name) state.orphanList = undefined;
    for (const listener of this.tenantListeners) listener(change.tenantId);
  }

  /** Fires on any change in any cluster (coalesced per cluster by its cache); returns the unsubscribe. */
  onClusterChange(listener: (cluster: string, change: CacheChange) => void): () => void {
    const unsubscribers = this.clusterSources().map((source) => source.onChange((change) => listener(source.name, change)));
    return () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
    };
  }

  /** Every cluster's feeds, each naming its cluster. */
  freshness(clusters?: ReadonlySet<string>): FeedFreshness[] {
    return this.clusterSources()
      .filter((source) => !clusters || clusters.has(source.name))
      .flatMap((source) => source.freshness().map((feed) => ({ cluster: source.name, ...feed })));
  }

  /** Every configured cluster, then the clusters registry rows name that the portal does not read. */
  clusterOverview(): ClusterOverview[] {
    const overview: ClusterOverview[] = [];
    for (const [name, state] of this.clusters) {
      const tenants = this.idsByCluster.get(name)?.length ?? 0;
      const stale = clusterStaleness(state.source);
      if (!state.source.isWarm()) {
        const error = firstListError(state.source);
        overview.push({ name, state: error ? "stale" : "loading", tenants, ...(error ? { error } : {}) });
      } else if (stale) overview.push({ name, state: "stale", tenants, staleSince: stale.since, ...(stale.error ? { error: stale.error } : {}) });
      else overview.push({ name, state: "live", tenants });
    }
    for (const [name, ids] of this.idsByCluster) {
      if (!this.clusters.has(name)) overview.push({ name, state: "not-connected", tenants: ids.length });
    }
    return overview;
  }

  /** A tenant's migration state as last loaded or written in this process ("native": no migration row). */
  migrationState(id: string): TenantMigrationStateOrNative {
    return this.migrationStates.get(id) ?? NATIVE_STATE;
  }

  /**
   * Told by the one writer of migration states (server/migration/tenant-migration.ts, wired in
   * server/runtime.ts) as it writes, inside the writer's transaction: the new states show at once,
   * and a re-read shortly after corrects a transaction that rolled back.
   */
  migrationStatesWritten(changes: readonly { tenantId: string; state: TenantMigrationState }[]): void {
    // In place: a wave writes one tenant at a time, and copying 10,000 states per write adds up.
    for (const { tenantId, state } of changes) {
      if (this.migrationStates.get(tenantId) === state) continue;
      this.migrationStates.set(tenantId, state);
      this.tenantMigrationChanged(tenantId);
    }
    if (this.migrationRecheck) clearTimeout(this.migrationRecheck);
    this.migrationRecheck = setTimeout(() => {
      this.migrationRecheck = undefined;
      void this.reloadMigrationStates();
    }, 2_000);
    this.migrationRecheck.unref?.();
  }

  /** Re-reads every tenant's migration state (periodically: another process may have written one). */
  async reloadMigrationStates(): Promise<void> {
    if (!this.options.loadMigrationStates) return;
    try {
      this.applyMigrationStates(await this.options.loadMigrationStates());
    } catch (error) {
      console.error("[tenants] migration states load failed", error);
    }
  }

  private applyMigrationStates(next: ReadonlyMap<string, TenantMigrationState>): void {
    const before = this.migrationStates;
    this.migrationStates = new Map(next);
    const changed = new Set<string>();
    for (const [id, state] of next) if (before.get(id) !== state) changed.add(id);
    for (const id of before.keys()) if (!next.has(id)) changed.add(id);
    for (const id of changed) this.tenantMigrationChanged(id);
  }

  private tenantMigrationChanged(id: string): void {
    if (!this.records.has(id)) return;
    this.dirty.add(id);
    for (const listener of this.tenantListeners) listener(id);
  }

  /** Reloads the registry rows (after an import, or on the refresh interval), and the migration states with them. */
  invalidateRegistry(): Promise<void> {
    const load = this.registryQueue.then(() => this.readRegistry());
    this.registryQueue = load;
    // The first load is what readers wait for; later reloads run in the background.
    this.registryLoad ??= load;
    return load;
  }

  private readRegistry(): Promise<void> {
    // The fingerprint is read before the rows: a write between the two makes the next check reload
    // again, never the other way round (rows older than the fingerprint kept as current).
    const readRows = async () => {
      const version = await this.options.registryVersion?.().catch(() => undefined);
      return { rows: await this.options.loadRegistry(), version };
    };
    return Promise.all([readRows(), this.reloadMigrationStates()])
      .then(([{ rows, version }]) => {
        const next = new Map(rows.map((row) => [row.id, row]));
        const changed = [...next.keys()].filter((id) => JSON.stringify(next.get(id)) !== JSON.stringify(this.records.get(id)));
        const removed = [...this.records.keys()].filter((id) => !next.has(id));
        this.records = next;
        this.registryVersionLoaded = version;
        const idsByCluster = new Map<string, string[]>();
        for (const row of rows) {
          const ids = idsByCluster.get(row.cluster);
          if (ids) ids.push(row.id);
          else idsByCluster.set(row.cluster, [row.id]);
        }
        this.idsByCluster = idsByCluster;
        this.registryError = undefined;
        for (const id of removed) this.summariesById.delete(id);
        for (const id of [...changed, ...removed]) {
          this.dirty.add(id);
          for (const listener of this.tenantListeners) listener(id);
        }
        if (changed.length || removed.length) {
          for (const state of this.clusters.values()) state.orphanList = undefined;
          this.summaryList = undefined;
          this.version++;
        }
      })
      .catch((error: Error) => {
        this.registryError = error;
        console.error("[tenants] registry load failed", error);
      });
  }

  /** Resolves once the registry was read once and every cluster's cache is warm or failing to list (or `warmTimeoutMs` passed). */
  async ready(options: { warmTimeoutMs?: number } = {}): Promise<void> {
    if (!this.registryLoad) void this.invalidateRegistry();
    await this.registryLoad;
    if (this.registryError && this.records.size === 0) throw this.registryError;
    const sources = this.clusterSources();
    const timeoutMs = options.warmTimeoutMs ?? 5_000;
    if (sources.length === 1) {
      if (!sources[0].isWarm()) await sources[0].whenWarm(timeoutMs);
      return;
    }
    // With several clusters, one that fails to list is not waited for: every read would otherwise
    // wait the whole timeout while it is down, and its tenants already say why they are unknown.
    const settled = () => sources.every((source) => source.isWarm() || firstListError(source) !== undefined);
    const deadline = Date.now() + timeoutMs;
    while (!settled() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  }

  /** Called with a tenant id whenever that tenant's cluster objects or registry row changed. */
  onTenantChange(listener: TenantListener): () => void {
    this.tenantListeners.add(listener);
    return () => this.tenantListeners.delete(listener);
  }

  hasTenant(id: string): boolean {
    return this.records.has(id);
  }

  summaries(): TenantSummary[] {
    this.flush();
    this.summaryList ??= [...this.summariesById.values()];
    return this.summaryList;
  }

  summary(id: string): TenantSummary | undefined {
    this.flush();
    return this.summariesById.get(id);
  }

  /** The registry record of a tenant (as last loaded). */
  record(id: string): TenantRecord | undefined {
    return this.records.get(id);
  }

  detail(id: string): TenantDetail | undefined {
    const record = this.records.get(id);
    const summary = this.summary(id);
    if (!record || !summary) return undefined;
    const cluster = this.clusters.get(record.cluster)?.source;
    if (!cluster) return { ...summary, pods: [], pvcs: [], ingressHosts: [], events: [], backups: [] };
    return buildTenantDetail(cluster, record, summary);
  }

  /** Deployments whose tenant label matches no registry record for their cluster, every cluster's. */
  orphans(): OrphanWorkload[] {
    const parts = [...this.clusters.values()].map((state) => this.clusterOrphans(state));
    // Read on every list request: the joined list is rebuilt only when a cluster's list was.
    if (this.orphanAll && parts.length === this.orphanParts.length && parts.every((part, i) => part === this.orphanParts[i])) return this.orphanAll;
    this.orphanParts = parts;
    this.orphanAll = parts.flat();
    const signature = JSON.stringify(this.orphanAll);
    if (signature !== this.orphanSignature) {
      this.orphanSignature = signature;
      this.version++;
    }
    return this.orphanAll;
  }

  private clusterOrphans(state: ClusterState): OrphanWorkload[] {
    if (state.orphanList) return state.orphanList;
    const cluster = state.source;
    const orphans: OrphanWorkload[] = [];
    for (const tenantId of cluster.tenantIds()) {
      if (this.records.get(tenantId)?.cluster === cluster.name) continue;
      for (const deployment of cluster.listForTenant("deployments", tenantId)) {
        if (deployment.metadata.labels[cluster.tenantLabelKey] !== tenantId) continue;
        orphans.push({
          cluster: cluster.name,
          namespace: deployment.metadata.namespace ?? "",
          name: deployment.metadata.name,
          kind: "Deployment",
          instanceId: tenantId,
          since: deployment.metadata.creationTimestamp,
        });
      }
    }
    state.orphanList = orphans.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
    return state.orphanList;
  }

  /** Whether the fleet reports this kind of problem for this tenant (or orphan) now. */
  reportsProblem(id: string, kind: Problem["kind"]): boolean {
    if (kind === "orphan-workload") return this.orphans().some((orphan) => orphan.instanceId === id);
    return this.summary(id)?.problems.some((problem) => problem.kind === kind) ?? false;
  }

  /** The orphan with this instance id (workloads labelled with it, no registry record for their cluster), in `cluster` or the first cluster that has one. */
  orphanDetail(instanceId: string, cluster?: string): OrphanDetail | undefined {
    for (const state of this.clusters.values()) {
      if (cluster !== undefined && state.source.name !== cluster) continue;
      const workloads = this.clusterOrphans(state).filter((orphan) => orphan.instanceId === instanceId);
      if (workloads.length > 0) return buildOrphanDetail(state.source, instanceId, workloads);
    }
    return undefined;
  }

  storagePressure(limit = 10, clusters?: ReadonlySet<string>): StoragePressureEntry[] {
    const entries: StoragePressureEntry[] = [];
    for (const state of this.clusters.values()) {
      if (clusters && !clusters.has(state.source.name)) continue;
      for (const usage of state.source.allVolumeUsage()) {
        const entry = this.pressureEntry(state.source, usage);
        if (entry) entries.push(entry);
      }
    }
    return entries.sort((a, b) => b.usedPercent - a.usedPercent).slice(0, limit);
  }

  private pressureEntry(cluster: ClusterSource, usage: VolumeUsage): StoragePressureEntry | undefined {
    if (usage.capacityBytes <= 0) return undefined;
    const pvc = cluster.get("persistentvolumeclaims", usage.namespace, usage.pvc);
    const tenantId = pvc ? cluster.tenantOf(pvc) : undefined;
    const record = tenantId ? this.records.get(tenantId) : undefined;
    if (!record || record.cluster !== cluster.name) return undefined;
    return {
      tenantId: record.id,
      tenantName: record.name,
      namespace: usage.namespace,
      pvc: usage.pvc,
      usedPercent: Math.round((usage.usedBytes / usage.capacityBytes) * 1000) / 10,
      usedBytes: usage.usedBytes,
      capacityBytes: usage.capacityBytes,
    };
  }

  /**
   * Node heartbeats are frequent: only a node going not-ready (or back) matters, and only to the
   * tenants with pods on it.
   */
  private nodesChanged(state: ClusterState): void {
    const cluster = state.source;
    const lost = lostNodes(cluster);
    const flipped = new Set([...lost, ...state.lostNodeNames].filter((name) => lost.has(name) !== state.lostNodeNames.has(name)));
    state.lostNodeNames = lost;
    if (flipped.size === 0) return;
    for (const pod of cluster.list("pods")) {
      if (!pod.spec.nodeName || !flipped.has(pod.spec.nodeName)) continue;
      const tenantId = cluster.tenantOf(pod);
      if (!tenantId) continue;
      this.dirty.add(tenantId);
      for (const listener of this.tenantListeners) listener(tenantId);
    }
    this.summaryList = undefined;
    this.version++;
  }

  /** Healthy, stopped and suspended tenants have no time-based rule pending; the rest may. */
  private markUnsettledDirty(): void {
    for (const summary of this.summariesById.values()) {
      if (summary.health !== "healthy" && summary.health !== "stopped" && summary.health !== "suspended" && summary.health !== "on-swarm") {
        this.dirty.add(summary.id);
      }
    }
  }

  /** Every tenant of one cluster is recomputed at the next read (it warmed, went stale or came back, its storage classes changed). */
  private markClusterDirty(state: ClusterState): void {
    const ids = this.idsByCluster.get(state.source.name) ?? [];
    if (this.clusters.size === 1) this.allDirty = true;
    else for (const id of ids) this.dirty.add(id);
    // An open tenant page hears of it too (its cluster went stale, came back, warmed).
    if (this.tenantListeners.size > 0) for (const id of ids) for (const listener of this.tenantListeners) listener(id);
    state.orphanList = undefined;
    this.summaryList = undefined;
    this.version++;
  }

  private flush(): void {
    if (!this.allDirty && this.dirty.size === 0) return;
    if (this.allDirty) {
      for (const state of this.clusters.values()) {
        state.lostNodeNames = lostNodes(state.source);
        state.warm = state.source.isWarm();
        state.stale = clusterStaleness(state.source);
        state.listError = state.warm ? undefined : firstListError(state.source);
      }
    }
    const ids = this.allDirty ? [...this.records.keys()] : [...this.dirty];
    this.allDirty = false;
    this.dirty.clear();
    const now = this.options.now?.() ?? new Date();
    let changed = false;
    for (const id of ids) {
      const record = this.records.get(id);
      if (!record) continue;
      const before = this.summariesById.get(id);
      const state = this.clusters.get(record.cluster);
      const next = state
        ? buildTenantSummary(state.source, record, {
            lostNodes: state.lostNodeNames,
            now,
            migrationState: this.migrationState(id),
            stale: state.stale,
          })
        : unconnectedSummary(record, [...this.clusters.keys()], this.migrationState(id), now);
      if (state?.listError && next.health === "unknown") next.healthReason = `Cluster ${record.cluster} could not be listed yet: ${state.listError}`;
      next.problems = next.problems.map((problem) => this.withSince(id, problem, now));
      this.forgetResolved(id, next.problems);
      if (before && sameSummary(before, next)) continue;
      this.summariesById.set(id, next);
      changed = true;
    }
    if (changed) {
      this.summaryList = undefined;
      this.version++;
    }
  }

  /** Problems the cluster gives no start time for (volume usage) get the time we first saw them. */
  private withSince(tenantId: string, problem: Problem, now: Date): Problem {
    const key = `${tenantId}|${problem.kind}|${problem.objectRef?.name ?? ""}`;
    if (problem.since) return problem;
    let since = this.firstSeen.get(key);
    if (!since) {
      since = now.toISOString();
      this.firstSeen.set(key, since);
    }
    return { ...problem, since };
  }

  private forgetResolved(tenantId: string, problems: Problem[]): void {
    const current = new Set(problems.map((p) => `${tenantId}|${p.kind}|${p.objectRef?.name ?? ""}`));
    for (const key of this.firstSeen.keys()) {
      if (key.startsWith(`${tenantId}|`) && !current.has(key)) this.firstSeen.delete(key);
    }
  }
}

/** A registry row whose cluster the portal has no connection to: listed, "unknown", saying why. */
function unconnectedSummary(record: TenantRecord, configured: string[], migrationState: TenantMigrationStateOrNative, now: Date): TenantSummary {
  return {
    ...registryFields(record),
    namespace: undefined,
    health: "unknown",
    healthReason: `Runs in cluster "${record.cluster}", which this portal is not connected to (it reads ${configured.map((name) => `"${name}"`).join(", ") || "no cluster"})`,
    problems: [],
    readyReplicas: 0,
    desiredReplicas: 0,
    restarts: 0,
    storageUsedPercent: undefined,
    migrationState,
    createdAt: record.createdAt,
    updatedAt: now.toISOString(),
  };
}

function sameSummary(a: TenantSummary, b: TenantSummary): boolean {
  return JSON.stringify({ ...a, updatedAt: "" }) === JSON.stringify({ ...b, updatedAt: "" });
}

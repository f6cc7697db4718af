// The simulator's tenant fleet (sim/fleet, used as data) populated into the real test control plane
// through its API: namespaces, ResourceQuotas, PVCs, Services, Ingresses, Deployments, backup
// CronJobs and one backup Job each, and the demo's problems where kwok can make them:
//   crash-loop, oom-killed, image-pull   kwok fault Stages (controlplane/kwok/stages.yaml), chosen by
//                                        the pod template's fleetdeck.test/fault annotation
//   unschedulable                        the real scheduler (requests larger than any node)
//   pvc-pending                          the real PV controller (storage class ceph-ssd is missing)
//   volume-full, volume-expandable       the kubelet front's stats/summary (used-bytes annotation)
//   stopped, suspended, quota-blocked    replicas 0 (quota-blocked: tenant-quota pods "0")
//   orphaned                             no registry record (registryExportOf leaves it out)
//   backup-failed                        its backup Job's pods fail (fault Stage): BackoffLimitExceeded
//   eviction-blocked                     a real PodDisruptionBudget (minAvailable 1, one replica)
//   resize-infeasible                    the volume provisioner's ceph-rbd-capped class
//   stuck-terminating                    a second pod deleted with a grace period that kwok never
//                                        finishes (Terminating until force-deleted)
// Container logs are written as files the kubelet front serves (log lines from sim/logs), by a
// writer that also follows new pods (a restart, a scale-up) and keeps live tenants' logs growing.
import { OdooLogGenerator, type TimedLine } from "../../sim/logs/odoo-log-generator";
import { cronJobOf, deploymentOf, ingressOf, namespaceOf, pvcOf, quotaOf, serviceOf, tenantLabels, tenantNamespace } from "../../sim/fleet/manifests";
import { planFleet, registryExportOf, type FleetPlan, type RegistryRecord, type TenantPlan } from "../../sim/fleet/tenant-plan";
import type { ScenarioName } from "../../sim/fleet/scenarios";
import type { ControlPlane } from "./control-plane";
import type { KubeApi, KubeObjectLike } from "./kube-api";
import { USED_BYTES_ANNOTATION, type PodLogFiles } from "./kubelet-front";

export { isScenarioName } from "../../sim/fleet/scenarios";

/** The pod annotation the kwok fault Stages select on. */
export const FAULT_ANNOTATION = "fleetdeck.test/fault";
/** The database host the crash-looping tenant's config points at (as in the simulator's kubelet). */
const BAD_DB_HOST = "postgres-primary.saasodoo.svc";
const GI = 2 ** 30;

export interface FleetOptions {
  scenario?: ScenarioName;
  /** Tenant count (default 40, as `npm run demo`); tests use fewer (10 holds every classic problem). */
  tenants?: number;
  /** The plan's seed (default 1, the simulator's: the same tenants, ids and problems as `npm run demo`). */
  seed?: string | number;
  /** Create the objects this many tenants at a time (default 8). */
  concurrency?: number;
  log?: (line: string) => void;
}

export interface PopulatedFleet {
  plan: FleetPlan;
  /** The instance service's export for this fleet (what `npm run registry:import` reads). */
  registry: RegistryRecord[];
  /** Stops the log writer. */
  stop(): void;
}

type Obj = Record<string, unknown> & { metadata: Record<string, unknown> & { name: string; annotations?: Record<string, string> } };

/** What the API server sets itself (or refuses from a client) goes; the builders write settled objects. */
function forCreate(object: unknown): Obj {
  const copy = structuredClone(object) as Obj;
  delete copy.status;
  delete copy.metadata.creationTimestamp;
  delete copy.metadata.uid;
  delete copy.metadata.resourceVersion;
  return copy;
}

const hasBackupJob = (t: TenantPlan) => t.problem !== "pvc-pending" && t.problem !== "quota-blocked";
const ns = (t: TenantPlan) => tenantNamespace(t.databaseName);
const podFault = (t: TenantPlan) => (t.problem === "crash-loop" || t.problem === "oom-killed" || t.problem === "image-pull" ? t.problem : undefined);

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

async function createTenant(api: KubeApi, t: TenantPlan, now: Date): Promise<void> {
  const namespace = ns(t);
  const base = `/api/v1/namespaces/${namespace}`;
  const createdAt = t.createdAt.toISOString();
  await api.create("/api/v1/namespaces", forCreate(namespaceOf(t, createdAt)));
  // Made here rather than waiting for the ServiceAccount controller: pods are refused without it.
  await api.create(`${base}/serviceaccounts`, { metadata: { name: "default", namespace } });

  const quota = forCreate(quotaOf(t, createdAt)) as Obj & { spec: { hard: Record<string, string> } };
  if (t.problem === "quota-blocked") quota.spec.hard.pods = "0";
  await api.create(`${base}/resourcequotas`, quota);

  const pvc = forCreate(pvcOf(t, createdAt)) as Obj;
  pvc.metadata.annotations = { ...(pvc.metadata.annotations ?? {}), [USED_BYTES_ANNOTATION]: String(Math.round(t.volumeUsedFraction * t.storageGi * GI)) };
  await api.create(`${base}/persistentvolumeclaims`, pvc);
  // Pods and Jobs come once the claim is bound, or the scheduler records a FailedScheduling
  // ("unbound immediate PersistentVolumeClaims") on every tenant, which the simulated fleet has not.
  if (t.problem !== "pvc-pending") {
    await waitFor(
      `claim ${namespace}/odoo-filestore to bind`,
      async () => (await api.get<{ status?: { phase?: string } }>(`${base}/persistentvolumeclaims/odoo-filestore`)).status?.phase === "Bound",
      60_000,
    );
  }

  const service = forCreate(serviceOf(t, createdAt, "")) as Obj & { spec: Record<string, unknown> };
  delete service.spec.clusterIP;
  delete service.spec.clusterIPs;
  await api.create(`${base}/services`, service);
  const ingress = forCreate(ingressOf(t, createdAt)) as Obj;
  await api.create(`/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses`, ingress);
  await api.mergePatch(`/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses/${ingress.metadata.name}/status`, {
    status: { loadBalancer: { ingress: [{ ip: "203.0.113.10" }] } },
  });

  const stopped = t.problem === "stopped" || t.problem === "suspended" || t.problem === "quota-blocked" || t.platform === "swarm";
  const deployment = forCreate(deploymentOf(t, createdAt, stopped ? 0 : 1)) as Obj & {
    spec: { template: { metadata: { annotations?: Record<string, string> } } };
  };
  if (t.problem === "suspended") {
    deployment.metadata.annotations = {
      ...deployment.metadata.annotations,
      "saasodoo.io/suspended-at": new Date(now.getTime() - 3 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
      "saasodoo.io/suspension-reason": "billing: invoice overdue for more than 30 days",
    };
  }
  const fault = podFault(t);
  if (fault) deployment.spec.template.metadata.annotations = { ...deployment.spec.template.metadata.annotations, [FAULT_ANNOTATION]: fault };
  await api.create(`/apis/apps/v1/namespaces/${namespace}/deployments`, deployment);

  if (t.problem === "eviction-blocked") {
    await api.create(`/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets`, {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "odoo-pdb", namespace, labels: tenantLabels(t) },
      spec: { minAvailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "odoo", "saasodoo.instance.id": t.instanceId } } },
    });
  }

  const cronJob = forCreate(cronJobOf(t, createdAt)) as Obj & {
    spec: { jobTemplate: { spec: { template: { metadata: { annotations?: Record<string, string> } } } } };
  };
  // Every run of this tenant's backup fails, the scheduled ones too.
  if (t.problem === "backup-failed") cronJob.spec.jobTemplate.spec.template.metadata.annotations = { [FAULT_ANNOTATION]: "backup-failed" };
  const created = (await api.create<KubeObjectLike>(`/apis/batch/v1/namespaces/${namespace}/cronjobs`, cronJob)).body;
  // A claim that never bound never had a backup (as in the simulator); a quota of 0 pods admits none.
  if (hasBackupJob(t) && created?.metadata?.uid) await createBackupJob(api, t, cronJob, created.metadata.uid, now);
}

/** The CronJob's last run, as its controller would have made it (name = scheduled minute). */
async function createBackupJob(api: KubeApi, t: TenantPlan, cronJob: Obj & { spec: { jobTemplate: Record<string, unknown> } }, uid: string, now: Date) {
  const scheduled = new Date(Math.floor((now.getTime() - 60 * 60_000) / 60_000) * 60_000);
  const template = structuredClone(cronJob.spec.jobTemplate) as { metadata?: { labels?: Record<string, string> }; spec: unknown };
  await api.create(`/apis/batch/v1/namespaces/${ns(t)}/jobs`, {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: `odoo-backup-${Math.floor(scheduled.getTime() / 60_000)}`,
      namespace: ns(t),
      labels: template.metadata?.labels ?? {},
      annotations: { "batch.kubernetes.io/cronjob-scheduled-timestamp": scheduled.toISOString().replace(/\.\d{3}Z$/, "Z") },
      ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: "odoo-backup", uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: template.spec,
  });
}

interface PodObject extends KubeObjectLike {
  metadata: KubeObjectLike["metadata"] & {
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string }[];
    deletionTimestamp?: string;
    creationTimestamp?: string;
    generateName?: string;
  };
  spec: { nodeName?: string; containers: { name: string }[] } & Record<string, unknown>;
  status?: {
    phase?: string;
    conditions?: { type: string; status: string; reason?: string }[];
    containerStatuses?: { name: string; state?: { running?: unknown; waiting?: unknown; terminated?: unknown } }[];
  };
}

/** Settled: the pod has the status its problem gives it (kwok or the scheduler set it). */
function podSettled(pod: PodObject): boolean {
  if (pod.metadata.deletionTimestamp) return true;
  if (!pod.spec.nodeName) return pod.status?.conditions?.some((c) => c.type === "PodScheduled" && c.status === "False") ?? false;
  return (pod.status?.containerStatuses?.length ?? 0) > 0;
}

/** Writes the containers' log files for pods that have none yet, and grows the live tenants' logs. */
class LogWriter {
  private readonly generator: OdooLogGenerator;
  private readonly tenants: Map<string, TenantPlan>;
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(
    private readonly api: KubeApi,
    private readonly logs: PodLogFiles,
    plan: FleetPlan,
  ) {
    this.generator = new OdooLogGenerator(plan.seed);
    this.tenants = new Map(plan.tenants.map((t) => [ns(t), t]));
  }

  start(intervalMs = 2000): void {
    this.timer = setInterval(() => void this.tick(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One pass: every pod with a container that started gets its history. */
  async tick(live = true): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const pods = (await this.api.get<{ items: PodObject[] }>("/api/v1/pods?labelSelector=saasodoo.instance.id")).items;
      const now = Date.now();
      for (const pod of pods) {
        const tenant = this.tenants.get(pod.metadata.namespace);
        if (!tenant || !pod.spec.nodeName) continue;
        for (const container of pod.status?.containerStatuses ?? []) {
          if (!container.state?.running && !container.state?.terminated && !(container.state?.waiting && tenant.problem === "crash-loop")) continue;
          if (!this.logs.has(pod.metadata.namespace, pod.metadata.name, container.name)) this.firstLines(tenant, pod, container.name, now);
          else if (live && tenant.liveLogs && container.state?.running && container.name === "odoo") {
            this.append(pod, container.name, this.generator.history(tenant.databaseName, now - 2000, now, 1));
          }
        }
      }
    } catch {
      // The next tick tries again (the API server may be restarting under a test).
    } finally {
      this.busy = false;
    }
  }

  private append(pod: PodObject, container: string, lines: TimedLine[], previous = false): void {
    this.logs.append(pod.metadata.namespace, pod.metadata.name, container, lines, previous);
  }

  private firstLines(t: TenantPlan, pod: PodObject, container: string, now: number): void {
    const name = pod.metadata.name;
    const db = t.databaseName;
    if (container === "backup") {
      const failed = t.problem === "backup-failed";
      this.append(pod, container, this.generator.backup(db, now - 3000, failed));
      return;
    }
    const startedAt = now - 60_000;
    if (t.problem === "crash-loop") {
      const run = (start: number) => [
        ...this.generator.startup(db, t.odooVersion, name, start, { badDbHost: BAD_DB_HOST }),
        ...this.generator.databaseConnectionFailure(db, start + 1800, BAD_DB_HOST),
      ];
      this.append(pod, container, run(now - 5 * 60_000 - 2200), true);
      this.append(pod, container, run(now - 2200));
      return;
    }
    if (t.problem === "oom-killed") {
      const lastExit = now - 90_000;
      this.append(
        pod,
        container,
        [
          ...this.generator.startup(db, t.odooVersion, name, lastExit - 35 * 60_000),
          ...this.generator.history(db, lastExit - 34 * 60_000, lastExit - 5000, 20),
          ...this.generator.memoryPressure(db, lastExit - 3000),
        ].filter((l) => l.at <= now),
        true,
      );
      this.append(pod, container, [
        ...this.generator.startup(db, t.odooVersion, name, lastExit + 10_000),
        ...this.generator.history(db, lastExit + 30_000, now, 10),
      ]);
      return;
    }
    this.append(
      pod,
      container,
      [...this.generator.startup(db, t.odooVersion, name, startedAt), ...this.generator.history(db, startedAt + 30_000, now, 20)].filter((l) => l.at <= now),
    );
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`populating the fleet: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The pod that took over: the old one deleted with a grace period kwok never finishes. */
async function makeStuckPod(api: KubeApi, t: TenantPlan): Promise<void> {
  const namespace = ns(t);
  const pods = (await api.get<{ items: PodObject[] }>(`/api/v1/namespaces/${namespace}/pods?labelSelector=app.kubernetes.io%2Fname%3Dodoo`)).items;
  const running = pods.find((p) => !p.metadata.deletionTimestamp && p.metadata.ownerReferences?.some((o) => o.kind === "ReplicaSet"));
  if (!running) throw new Error(`no running pod in ${namespace} to copy for the stuck one`);
  const rsName = running.metadata.ownerReferences!.find((o) => o.kind === "ReplicaSet")!.name;
  // Another template hash, so the ReplicaSet does not adopt it (it would delete a pod to keep 1).
  const labels = { ...running.metadata.labels, "pod-template-hash": "5c7d9f8b6" };
  const spec = structuredClone(running.spec) as Record<string, unknown>;
  const name = `${rsName.replace(/-[^-]+$/, "")}-5c7d9f8b6-stk4q`;
  await api.create(`/api/v1/namespaces/${namespace}/pods`, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels, annotations: { [FAULT_ANNOTATION]: "stuck-terminating" } },
    spec,
  });
  await waitFor(
    `pod ${namespace}/${name} to run`,
    async () => (await api.get<PodObject>(`/api/v1/namespaces/${namespace}/pods/${name}`)).status?.phase === "Running",
    60_000,
  );
  await api.call("DELETE", `/api/v1/namespaces/${namespace}/pods/${name}`, { apiVersion: "v1", kind: "DeleteOptions", gracePeriodSeconds: 30 });
}

interface DeploymentObject extends KubeObjectLike {
  metadata: KubeObjectLike["metadata"] & { namespace: string };
  spec: { replicas?: number; progressDeadlineSeconds?: number };
  status?: { readyReplicas?: number; conditions?: { type: string; status: string; reason?: string; lastUpdateTime?: string; lastTransitionTime?: string }[] };
}

/**
 * The simulator's fleet has run for months, so a Deployment that never became available has long
 * passed its progress deadline (Progressing False, ProgressDeadlineExceeded: "Rollout is stuck").
 * Here they were created seconds ago: their Progressing condition is dated back past the deadline,
 * and the deployment controller, syncing on that write, finds them timed out itself.
 */
async function ageStuckRollouts(api: KubeApi, plan: FleetPlan): Promise<void> {
  const namespaces = new Set(plan.tenants.map(ns));
  const unavailable = (await api.get<{ items: DeploymentObject[] }>("/apis/apps/v1/deployments?labelSelector=app.kubernetes.io%2Fname%3Dodoo")).items.filter(
    (d) => namespaces.has(d.metadata.namespace) && (d.status?.readyReplicas ?? 0) < (d.spec.replicas ?? 1),
  );
  for (const deployment of unavailable) {
    const past = new Date(Date.now() - ((deployment.spec.progressDeadlineSeconds ?? 600) + 60) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const conditions = (deployment.status?.conditions ?? []).map((c) =>
      c.type === "Progressing" ? { ...c, lastUpdateTime: past, lastTransitionTime: past } : c,
    );
    await api.mergePatch(`/apis/apps/v1/namespaces/${deployment.metadata.namespace}/deployments/${deployment.metadata.name}/status`, {
      status: { conditions },
    });
  }
  await waitFor(
    "the stuck rollouts to pass their progress deadline",
    async () => {
      const deployments = (await api.get<{ items: DeploymentObject[] }>("/apis/apps/v1/deployments?labelSelector=app.kubernetes.io%2Fname%3Dodoo")).items;
      const names = new Set(unavailable.map((d) => `${d.metadata.namespace}/${d.metadata.name}`));
      return deployments
        .filter((d) => names.has(`${d.metadata.namespace}/${d.metadata.name}`))
        .every((d) => d.status?.conditions?.some((c) => c.type === "Progressing" && c.reason === "ProgressDeadlineExceeded"));
    },
    30_000,
  );
}

/**
 * Populates the control plane with the fleet and waits until every pod and backup Job settled (and
 * has its logs). The log writer keeps running until `stop()` (and stops with the control plane).
 */
export async function populateFleet(controlPlane: Pick<ControlPlane, "api" | "podLogs">, options: FleetOptions = {}): Promise<PopulatedFleet> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const plan = planFleet({ seed: options.seed ?? 1, tenants: options.tenants ?? 40, scenario: options.scenario ?? "demo" });
  const { api } = controlPlane;
  await inBatches(plan.tenants, options.concurrency ?? 8, (t) => createTenant(api, t, plan.now));
  log(`fleet: ${plan.tenants.length} tenants created (${Math.round((Date.now() - started) / 1000)} s); waiting for their pods and backups`);

  const expectedPods = new Map(plan.tenants.map((t) => [ns(t), t]));
  await waitFor(
    "every tenant's pod and backup Job to settle",
    async () => {
      const [pods, jobs, deployments] = await Promise.all([
        api.get<{ items: PodObject[] }>("/api/v1/pods?labelSelector=app.kubernetes.io%2Fname%3Dodoo"),
        api.get<{ items: { metadata: { namespace: string }; status?: { conditions?: { type: string; status: string }[] } }[] }>(
          "/apis/batch/v1/jobs?labelSelector=app.kubernetes.io%2Fname%3Dodoo-backup",
        ),
        api.get<{ items: { metadata: { namespace: string }; spec: { replicas?: number } }[] }>(
          "/apis/apps/v1/deployments?labelSelector=app.kubernetes.io%2Fname%3Dodoo",
        ),
      ]);
      const podsOf = new Map<string, PodObject[]>();
      for (const pod of pods.items) podsOf.set(pod.metadata.namespace, [...(podsOf.get(pod.metadata.namespace) ?? []), pod]);
      for (const deployment of deployments.items) {
        if (!expectedPods.has(deployment.metadata.namespace)) continue;
        const replicas = deployment.spec.replicas ?? 1;
        const current = podsOf.get(deployment.metadata.namespace) ?? [];
        if (current.length < replicas || !current.every(podSettled)) return false;
      }
      const finished = jobs.items.filter((job) => job.status?.conditions?.some((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True"));
      const jobsExpected = plan.tenants.filter(hasBackupJob).length;
      return deployments.items.length >= plan.tenants.length && finished.length >= jobsExpected;
    },
    180_000,
  );
  for (const t of plan.tenants.filter((tenant) => tenant.problem === "stuck-terminating")) await makeStuckPod(api, t);
  await ageStuckRollouts(api, plan);
  // The CronJob controller warns once about each Job it did not make itself ("Saw a job that the
  // controller did not create or forgot"): true here, and noise on every tenant's timeline.
  const unexpected = await api.get<{ items: { metadata: { name: string; namespace: string } }[] }>(
    `/api/v1/events?fieldSelector=${encodeURIComponent("reason=UnexpectedJob")}`,
  );
  for (const event of unexpected.items) await api.delete(`/api/v1/namespaces/${event.metadata.namespace}/events/${event.metadata.name}`);

  const writer = new LogWriter(api, controlPlane.podLogs, plan);
  await writer.tick(false);
  writer.start();
  log(`fleet: populated in ${Math.round((Date.now() - started) / 1000)} s`);
  return { plan, registry: registryExportOf(plan), stop: () => writer.stop() };
}

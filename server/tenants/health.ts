import "server-only";

/**
 * Health and problem detection: pure functions from a tenant's derived cluster state to a health
 * state and problems in plain words. No I/O and no clock reads (the caller passes `now`), so each
 * rule is tested case by case with fixtures.
 */
import type { DeploymentView, PodView, PvcView } from "@/lib/cluster/views";
import { NATIVE_STATE, runsOnKubernetes, TENANT_MIGRATION_STATE_LABELS, type TenantMigrationStateOrNative } from "@/lib/migration/tenant-states";
import type { BillingStatus, HealthState, Problem } from "@/lib/tenants/types";

export interface BackupRun {
  name: string;
  status: "succeeded" | "failed" | "running";
  startedAt?: string;
  finishedAt?: string;
  message?: string;
}

export interface TenantHealthInput {
  billingStatus: BillingStatus;
  /** Registry creation time: a brand-new record may not have a workload yet. */
  recordCreatedAt?: string;
  /** False until the cache listed the kinds health depends on. */
  clusterSynced: boolean;
  namespace?: string;
  deployment?: DeploymentView;
  /** Pods of the instance Deployment. */
  pods: PodView[];
  pvcs: PvcView[];
  backups: BackupRun[];
  /** Nodes whose Ready condition is not True. */
  lostNodes: ReadonlySet<string>;
  /** Where the tenant is in its move from Swarm (no migration row: "native", on Kubernetes from the start). */
  migrationState?: TenantMigrationStateOrNative;
  now: Date;
}

export interface TenantHealth {
  health: HealthState;
  healthReason: string;
  problems: Problem[];
}

const VOLUME_WARNING_PERCENT = 90;
const VOLUME_CRITICAL_PERCENT = 95;
/** A new record gets this long to show a workload before it counts as missing. */
const PROVISIONING_GRACE_MS = 10 * 60_000;
/** A running pod may be unready this long (probes warming up) before it is a problem. */
const NOT_READY_GRACE_MS = 2 * 60_000;
const PVC_PENDING_GRACE_MS = 2 * 60_000;
/** An OOM kill this recent still counts while the container runs again between kills. */
const RECENT_OOM_MS = 24 * 60 * 60_000;
const CRASH_LOOP_MIN_RESTARTS = 3;
/** The kubelet's crash back-off tops out at 5 minutes; a failure older than two of those is history. */
const RECENT_CRASH_MS = 10 * 60_000;

const CRASH_REASONS = new Set(["CrashLoopBackOff", "Error", "RunContainerError", "CreateContainerError", "CreateContainerConfigError"]);
const IMAGE_REASONS = new Set(["ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull"]);
const STARTING_REASONS = new Set(["ContainerCreating", "PodInitializing", "Pending"]);

/** What a tenant still served by Swarm (or between the two platforms) is doing, in plain words. */
function swarmReason(state: TenantMigrationStateOrNative): string {
  switch (state) {
    case "stopped-on-swarm":
      return "Migrating: stopped on Swarm, its data is being copied to Kubernetes";
    case "data-restored":
      return "Migrating: data restored on Kubernetes, waiting to be started there";
    case "rolled-back":
      return "On Swarm: the migration was rolled back";
    case "on-swarm":
      return "On Swarm: served by Docker Swarm, not migrated yet";
    default:
      return `On Swarm: served by Docker Swarm (migration: ${TENANT_MIGRATION_STATE_LABELS[state]})`;
  }
}

export function assessTenantHealth(input: TenantHealthInput): TenantHealth {
  if (!input.clusterSynced) {
    return { health: "unknown", healthReason: "Waiting for the cluster cache to load", problems: [] };
  }
  // Until the migration starts it on Kubernetes, Swarm serves the tenant: its Kubernetes workload
  // missing or at 0 replicas is expected, not a problem. What the cluster does hold (the prepared
  // PVC, a pod someone started by hand) is still checked.
  const migrationState = input.migrationState ?? NATIVE_STATE;
  if (!runsOnKubernetes(migrationState)) {
    return { health: "on-swarm", healthReason: swarmReason(migrationState), problems: sortProblems(detectProblems(input)) };
  }
  const { deployment } = input;
  if (!deployment) {
    const age = input.recordCreatedAt ? input.now.getTime() - Date.parse(input.recordCreatedAt) : Infinity;
    if (input.namespace && age < PROVISIONING_GRACE_MS) {
      return { health: "provisioning", healthReason: `Namespace ${input.namespace} exists; waiting for the Odoo Deployment`, problems: [] };
    }
    const problem: Problem = {
      kind: "missing-workload",
      severity: "critical",
      title: "No workload in the cluster for this tenant",
      detail: input.namespace
        ? `Namespace ${input.namespace} exists but has no Odoo Deployment.`
        : "No Deployment, Pod or Namespace carries this tenant's instance id.",
    };
    return { health: "missing", healthReason: problem.title, problems: [problem] };
  }

  const problems = sortProblems(detectProblems(input, deployment));
  const critical = problems.filter((p) => p.severity === "critical");

  if (input.billingStatus === "suspended") {
    return {
      health: "suspended",
      healthReason: deployment.desired === 0 ? "Suspended for billing; scaled to 0 replicas" : "Suspended for billing",
      problems,
    };
  }
  if (deployment.desired === 0) {
    return { health: "stopped", healthReason: "Stopped: scaled to 0 replicas", problems };
  }
  const readyText = `${deployment.ready} of ${deployment.desired} replica${deployment.desired === 1 ? "" : "s"} ready`;
  if (deployment.ready >= deployment.desired) {
    if (problems.length > 0) return { health: "degraded", healthReason: problems[0].title, problems };
    const replicas = deployment.ready === 1 ? "1 replica" : `${deployment.ready} replicas`;
    return { health: "healthy", healthReason: `Running, ${replicas} ready`, problems };
  }
  if (deployment.ready === 0) {
    const active = input.pods.filter((pod) => !pod.terminating);
    const starting = active.length > 0 && active.every((pod) => isStarting(pod));
    if (critical.length === 0 && (starting || active.length === 0)) {
      const pod = active[0];
      return {
        health: "provisioning",
        healthReason: pod ? `Starting: pod ${pod.status}` : "Starting: waiting for a pod",
        problems,
      };
    }
    return { health: "down", healthReason: critical[0]?.title ?? problems[0]?.title ?? `No replica ready (${readyText})`, problems };
  }
  return { health: "degraded", healthReason: problems[0]?.title ?? readyText, problems };
}

function detectProblems(input: TenantHealthInput, deployment: DeploymentView | undefined = input.deployment): Problem[] {
  const problems: Problem[] = [];
  const now = input.now.getTime();
  for (const pod of input.pods) {
    if (pod.terminating) continue;
    const problem = podProblem(pod, input.lostNodes, now);
    if (problem) problems.push(problem);
  }
  for (const pvc of input.pvcs) problems.push(...pvcProblems(pvc, now));
  if (deployment?.rolloutStuck) {
    problems.push({
      kind: "rollout-stuck",
      severity: "warning",
      title: "Rollout is stuck",
      detail: deployment.rolloutStuck.message,
      since: deployment.rolloutStuck.since,
      objectRef: { kind: "Deployment", namespace: deployment.namespace, name: deployment.name },
    });
  }
  const backup = latestBackup(input.backups);
  if (backup?.status === "failed") {
    problems.push({
      kind: "backup-failed",
      severity: "warning",
      title: "Backup job failed",
      detail: `Job ${backup.name} failed${backup.message ? `: ${backup.message}` : "."}`,
      since: backup.finishedAt ?? backup.startedAt,
      objectRef: { kind: "Job", namespace: input.namespace, name: backup.name },
    });
  }
  return problems;
}

function podProblem(pod: PodView, lostNodes: ReadonlySet<string>, now: number): Problem | undefined {
  const ref = { kind: "Pod", namespace: pod.namespace, name: pod.name };
  const since = pod.notReadySince ?? pod.startedAt ?? pod.createdAt;
  const restarts = `${pod.restarts} restart${pod.restarts === 1 ? "" : "s"}`;
  const lastExit = pod.lastTermination
    ? `Last exit: ${pod.lastTermination.reason} (exit code ${pod.lastTermination.exitCode})${pod.lastTermination.finishedAt ? ` at ${pod.lastTermination.finishedAt}` : ""}.`
    : "";

  if (pod.nodeName && lostNodes.has(pod.nodeName)) {
    return {
      kind: "node-lost",
      severity: "critical",
      title: `Node ${pod.nodeName} is not ready`,
      detail: `Pod ${pod.name} runs on node ${pod.nodeName}, which stopped reporting as Ready.`,
      since,
      objectRef: ref,
    };
  }
  // A failing init container or sidecar reads Init:<reason> (kubectl's words): the rules match the
  // reason. Only a sidecar's exits are in lastTermination, so only its OOM kill is named as one.
  const reason = pod.status.startsWith("Init:") ? pod.status.slice("Init:".length) : pod.status;
  const oom = pod.status === "OOMKilled" || ((reason === "CrashLoopBackOff" || reason === "OOMKilled") && pod.lastTermination?.reason === "OOMKilled");
  if (oom) {
    const limit = pod.containers.find((c) => c.name === pod.lastTermination?.container)?.limits?.memory;
    return {
      kind: "oom-killed",
      severity: "critical",
      title: `Odoo runs out of memory (OOMKilled, ${restarts})`,
      detail:
        `Container ${pod.lastTermination?.container ?? "odoo"} was killed for exceeding its memory limit${limit ? ` of ${limit}` : ""}. ${lastExit}`.trim(),
      since,
      objectRef: ref,
    };
  }
  // Between OOM kills the container runs again: the last termination is the evidence.
  const recentOom =
    pod.restarts > 0 &&
    pod.lastTermination?.reason === "OOMKilled" &&
    (!pod.lastTermination.finishedAt || now - Date.parse(pod.lastTermination.finishedAt) < RECENT_OOM_MS);
  if (recentOom) {
    const limit = pod.containers.find((c) => c.name === pod.lastTermination?.container)?.limits?.memory;
    return {
      kind: "oom-killed",
      severity: pod.podReady ? "warning" : "critical",
      title: `Odoo was killed for running out of memory (OOMKilled, ${restarts})`,
      detail:
        `Container ${pod.lastTermination?.container ?? "odoo"} exceeded its memory limit${limit ? ` of ${limit}` : ""} and was restarted. ${lastExit}`.trim(),
      since: pod.lastTermination?.finishedAt ?? since,
      objectRef: ref,
    };
  }
  // A crash loop spends a few seconds Running between crashes; without the second test the
  // problem would blink out of the overview each time. Failed exits, restarts piling up and a
  // recent last failure are the evidence until the pod stays up (ready) again.
  const crashedRecently =
    pod.restarts >= CRASH_LOOP_MIN_RESTARTS &&
    !pod.podReady &&
    pod.lastTermination !== undefined &&
    pod.lastTermination.exitCode !== 0 &&
    (!pod.lastTermination.finishedAt || now - Date.parse(pod.lastTermination.finishedAt) < RECENT_CRASH_MS);
  const crashLoop = CRASH_REASONS.has(reason) ? pod.status : crashedRecently ? `restarting after ${pod.lastTermination!.reason ?? "an error"}` : undefined;
  if (crashLoop) {
    return {
      kind: "crash-loop",
      severity: "critical",
      title: `Odoo keeps crashing (${crashLoop}, ${restarts})`,
      detail: [lastExit, pod.message].filter(Boolean).join(" ") || `Pod ${pod.name} is restarting.`,
      since,
      objectRef: ref,
    };
  }
  if (IMAGE_REASONS.has(pod.status)) {
    const image = pod.containers.find((c) => c.reason && IMAGE_REASONS.has(c.reason))?.image ?? pod.containers[0]?.image;
    return {
      kind: "image-pull",
      severity: "critical",
      title: `Odoo image cannot be pulled (${pod.status}${image ? `: ${image}` : ""})`,
      detail: pod.message ?? `The node cannot pull ${image ?? "the image"}.`,
      since,
      objectRef: ref,
    };
  }
  if (pod.unschedulable) {
    return {
      kind: "unschedulable",
      severity: "critical",
      title: `Pod cannot be scheduled: ${pod.unschedulable.message}`,
      detail: `Pod ${pod.name} is Pending: the scheduler found no node for it.`,
      since: pod.unschedulable.since ?? pod.createdAt,
      objectRef: ref,
    };
  }
  if (pod.phase === "Running" && !pod.podReady && since && now - Date.parse(since) > NOT_READY_GRACE_MS) {
    return {
      kind: "not-ready",
      severity: "warning",
      title: "Odoo is running but not ready",
      detail: `Pod ${pod.name} is ${pod.ready} ready; its readiness probe is failing.`,
      since,
      objectRef: ref,
    };
  }
  return undefined;
}

function pvcProblems(pvc: PvcView, now: number): Problem[] {
  const label = pvc.name === "odoo-filestore" ? "Filestore volume" : `Volume ${pvc.name}`;
  const ref = { kind: "PersistentVolumeClaim", namespace: pvc.namespace, name: pvc.name };
  const problems: Problem[] = [];
  if (pvc.phase === "Pending") {
    if (!pvc.storageClassExists) {
      problems.push({
        kind: "pvc-pending",
        severity: "critical",
        title: `${label} is pending: storage class "${pvc.storageClass}" does not exist`,
        detail: `PVC ${pvc.name} asks for storage class "${pvc.storageClass}", which this cluster does not have, so it is never bound.`,
        since: pvc.createdAt,
        objectRef: ref,
      });
    } else if (!pvc.createdAt || now - Date.parse(pvc.createdAt) > PVC_PENDING_GRACE_MS) {
      problems.push({
        kind: "pvc-pending",
        severity: "warning",
        title: `${label} is pending`,
        detail: `PVC ${pvc.name} (${pvc.requested ?? "?"} on ${pvc.storageClass ?? "the default class"}) is not bound yet.`,
        since: pvc.createdAt,
        objectRef: ref,
      });
    }
  }
  if (pvc.usedPercent !== undefined && pvc.usedPercent >= VOLUME_WARNING_PERCENT) {
    const percent = Math.floor(pvc.usedPercent);
    problems.push({
      kind: "volume-full",
      severity: pvc.usedPercent >= VOLUME_CRITICAL_PERCENT ? "critical" : "warning",
      title: `${label} ${percent}% full`,
      detail: `PVC ${pvc.name} uses ${formatBytes(pvc.usedBytes ?? 0)} of ${formatBytes(pvc.capacityBytes ?? 0)}${
        pvc.expandable === false ? `; storage class ${pvc.storageClass} does not allow expansion` : pvc.expandable ? "; it can be expanded" : ""
      }.`,
      objectRef: ref,
    });
  }
  return problems;
}

function isStarting(pod: PodView): boolean {
  return (
    !pod.unschedulable &&
    (STARTING_REASONS.has(pod.status) || pod.status.startsWith("Init:") || (pod.phase === "Running" && !pod.podReady && pod.restarts === 0))
  );
}

function latestBackup(backups: BackupRun[]): BackupRun | undefined {
  let latest: BackupRun | undefined;
  for (const backup of backups) {
    if (backup.status === "running") continue;
    if (!latest || (backup.startedAt ?? "") > (latest.startedAt ?? "")) latest = backup;
  }
  return latest;
}

function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "critical" ? -1 : 1));
}

function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

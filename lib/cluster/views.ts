/**
 * What the portal shows of cluster objects: plain JSON views that travel through tRPC into
 * client components. The server's kind modules derive them from the cached objects.
 */

/** The watched kinds plus the kubelet volume-stats poll: one freshness entry each. */
export const CLUSTER_FEEDS = [
  "namespaces",
  "deployments",
  "replicasets",
  "pods",
  "persistentvolumeclaims",
  "services",
  "ingresses",
  "events",
  "nodes",
  "storageclasses",
  "jobs",
  "volume-stats",
] as const;
export type FeedName = (typeof CLUSTER_FEEDS)[number];

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface FeedFreshness {
  /** The cluster it is a feed of, where several are shown together (the tenant directory sets it). */
  cluster?: string;
  kind: FeedName;
  synced: boolean;
  objects: number;
  lastEventAt?: string;
  stale: boolean;
  staleSince?: string;
  error?: string;
}

/** A cluster connection as the admins' diagnostics page shows it, errors in full. */
export interface ClusterDiagnosticsView {
  name: string;
  context?: string;
  server?: string;
  warm: boolean;
  feeds: (FeedFreshness & { detail?: string })[];
}

/** What the portal shows for a pod (plain JSON). */
export interface PodView {
  name: string;
  namespace: string;
  phase: string;
  /** kubectl's STATUS column: Running, CrashLoopBackOff, OOMKilled, ContainerCreating, Terminating... */
  status: string;
  ready: string;
  readyContainers: number;
  totalContainers: number;
  restarts: number;
  lastRestartAt?: string;
  lastTermination?: { container: string; reason: string; exitCode: number; finishedAt?: string };
  /** Why a pod waits: an Unschedulable scheduler message, an image pull error, a crash back-off. */
  message?: string;
  unschedulable?: { message: string; since?: string };
  nodeName?: string;
  createdAt?: string;
  startedAt?: string;
  terminating: boolean;
  podReady: boolean;
  /** When the pod last stopped being ready (or was created not ready). */
  notReadySince?: string;
  containers: {
    name: string;
    image: string;
    ready: boolean;
    restarts: number;
    state: "waiting" | "running" | "terminated" | "unknown";
    reason?: string;
    requests?: Record<string, string>;
    limits?: Record<string, string>;
  }[];
}

export interface DeploymentView {
  name: string;
  namespace: string;
  desired: number;
  current: number;
  ready: number;
  updated: number;
  available: number;
  image: string;
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  /** Available, Progressing, Scaled to zero, Paused, or Rollout stuck. */
  status: "available" | "progressing" | "scaled-to-zero" | "paused" | "rollout-stuck" | "unavailable";
  rolloutStuck?: { message: string; since?: string };
  conditions: readonly Condition[];
  revision?: string;
  lastRollout?: { revision?: string; replicaSet: string; at?: string; images: string[] };
  createdAt?: string;
}

export interface PvcView {
  name: string;
  namespace: string;
  phase: string;
  storageClass?: string;
  /** False when the claim names a storage class the cluster does not have. */
  storageClassExists: boolean;
  /** Whether the storage class allows expansion; undefined when the class is unknown. */
  expandable?: boolean;
  requested?: string;
  capacity?: string;
  resizing: boolean;
  usedBytes?: number;
  capacityBytes?: number;
  usedPercent?: number;
  usageObservedAt?: string;
  createdAt?: string;
}

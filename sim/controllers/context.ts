// What every controller shares: the store, the log store, one timer queue, the event recorder and
// the fleet's "physics" (how each tenant's container behaves), which control actions change.
import type { LogStore } from "../logs/log-store";
import type { ObjectStore } from "../store/object-store";
import type { Rng } from "../fleet/prng";
import type { EventRecorder } from "./event-recorder";
import type { TimerQueue } from "./timer-queue";

/** How a tenant's Odoo container behaves once started. */
export type ContainerBehaviour = "healthy" | "crash" | "oom";

export interface SimSpeed {
  /** multiplies pod lifecycle delays (scheduling, pulling, starting, readiness, job runs) */
  lifecycle: number;
  /** multiplies CrashLoopBackOff / ImagePullBackOff back-off (10s, 20s, 40s ... 5m) */
  backoff: number;
  /** multiplies slow cluster reactions: node eviction (300s), volume resize, progress deadline */
  slow: number;
}

export const DEFAULT_SPEED: SimSpeed = { lifecycle: 1, backoff: 0.2, slow: 0.05 };

export interface TenantRuntimeInfo {
  databaseName: string;
  odooVersion: string;
  liveLogs: boolean;
}

export interface SimContext {
  store: ObjectStore;
  logs: LogStore;
  timers: TimerQueue;
  events: EventRecorder;
  clock: () => number;
  rng: Rng;
  speed: SimSpeed;
  behaviour: Map<string, ContainerBehaviour>;
  backupFailures: Set<string>;
  /** "<namespace>/<pvc>" -> used fraction of the volume */
  volumeUsage: Map<string, number>;
  /** tenant namespace -> what the log generator needs */
  tenants: Map<string, TenantRuntimeInfo>;
  /** nodes whose kubelet is unreachable */
  downNodes: Set<string>;
  /** uids of pods whose kubelet never finishes a graceful deletion (they stay Terminating until force-deleted) */
  stuckPods: Set<string>;
}

export const behaviourOf = (ctx: SimContext, namespace: string): ContainerBehaviour => ctx.behaviour.get(namespace) ?? "healthy";

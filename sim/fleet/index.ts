// The fleet side of the simulator: generates the tenants, writes them into the store, starts
// the controllers and answers the HTTP layer's hooks (metrics, stats, control, registry).
import type { LogStore } from "../logs/log-store";
import type { SimHooks } from "../runtime";
import type { ObjectStore } from "../store/object-store";
import { DEFAULT_SPEED, type SimContext, type SimSpeed } from "../controllers/context";
import { CronJobController } from "../controllers/cronjob-controller";
import { DeploymentController } from "../controllers/deployment-controller";
import { DisruptionController } from "../controllers/disruption-controller";
import { EventRecorder } from "../controllers/event-recorder";
import { JobController } from "../controllers/job-controller";
import { Kubelet } from "../controllers/kubelet";
import { NodeLifecycle } from "../controllers/node-lifecycle";
import { QuotaController } from "../controllers/quota-controller";
import { ReplicaSetController } from "../controllers/replicaset-controller";
import { Scheduler } from "../controllers/scheduler";
import { StatefulSetController } from "../controllers/statefulset-controller";
import { TimerQueue } from "../controllers/timer-queue";
import { VolumeController } from "../controllers/volume-controller";
import { nodeMetrics, nodeStatsSummary, podMetrics } from "../metrics/metrics-api";
import { FleetControl } from "./fleet-control";
import { FleetPopulator } from "./populate";
import { createRng } from "./prng";
import { isScenarioName, type ScenarioName } from "./scenarios";
import { planFleet, registryExportOf, type FleetPlan, type RegistryRecord } from "./tenant-plan";

export { DEMO_MISSING_TENANT, DEMO_PROBLEM_TENANTS, DEMO_SWARM_TENANTS, SCENARIO_NAMES } from "./scenarios";

export interface StartFleetOptions {
  store: ObjectStore;
  logs: LogStore;
  tenants: number;
  scenario: string;
  seed: number | string;
  /** speeds up (or slows down) the simulated cluster's reactions; tests use small factors */
  speed?: Partial<SimSpeed>;
  /** the instant the fleet is generated at (defaults to now) */
  now?: Date;
}

export interface RunningFleet {
  hooks: SimHooks;
  stop(): void;
  tenantCount: number;
  plan: FleetPlan;
  ctx: SimContext;
  controllers: { kubelet: Kubelet; scheduler: Scheduler; cronJobs: CronJobController; quotas: QuotaController; nodes: NodeLifecycle };
}

export function startFleet(opts: StartFleetOptions): RunningFleet {
  const scenario: ScenarioName = isScenarioName(opts.scenario) ? opts.scenario : "demo";
  const plan = planFleet({ seed: opts.seed, tenants: Math.max(0, Math.floor(opts.tenants)), scenario, now: opts.now });
  const clock = Date.now;
  const timers = new TimerQueue(clock);
  const events = new EventRecorder(opts.store, clock);
  const ctx: SimContext = {
    store: opts.store,
    logs: opts.logs,
    timers,
    events,
    clock,
    rng: createRng(plan.seed, "runtime"),
    speed: { ...DEFAULT_SPEED, ...(opts.speed ?? {}) },
    behaviour: new Map(),
    backupFailures: new Set(),
    volumeUsage: new Map(),
    tenants: new Map(),
    downNodes: new Set(),
    stuckPods: new Set(),
  };

  new FleetPopulator(plan, opts.store, opts.logs, events, ctx).run();

  const kubelet = new Kubelet(ctx, plan.seed);
  const scheduler = new Scheduler(ctx);
  const quotas = new QuotaController(ctx);
  const cronJobs = new CronJobController(ctx);
  const nodes = new NodeLifecycle(ctx, kubelet);
  const controllers = [
    new DeploymentController(ctx),
    new ReplicaSetController(ctx),
    new StatefulSetController(ctx),
    new JobController(ctx),
    cronJobs,
    new VolumeController(ctx),
    new DisruptionController(ctx),
    quotas,
    scheduler,
    kubelet,
  ];
  for (const c of controllers) c.start();
  events.startExpiry(timers);

  const registry = new Map<string, RegistryRecord>(registryExportOf(plan).map((r) => [r.id, r]));
  const control = new FleetControl(ctx, plan.tenants, registry, kubelet, nodes, cronJobs, plan.seed);

  const hooks: SimHooks = {
    nodeStatsSummary: (node) => nodeStatsSummary(ctx, node),
    podMetrics: (namespace) => podMetrics(ctx, namespace),
    nodeMetrics: () => nodeMetrics(ctx),
    control: (action, body) => control.handle(action, body),
    registryExport: () => [...registry.values()].map((r) => ({ ...r })),
  };

  return {
    hooks,
    tenantCount: plan.tenants.length,
    plan,
    ctx,
    controllers: { kubelet, scheduler, cronJobs, quotas, nodes },
    stop() {
      for (const c of controllers) c.stop();
      timers.stop();
    },
  };
}

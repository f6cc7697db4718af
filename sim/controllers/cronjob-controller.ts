// CronJob controller: fires Jobs on schedule (one timer entry per CronJob in the shared queue),
// honours concurrencyPolicy and suspend, tracks active/lastScheduleTime/lastSuccessfulTime and
// prunes finished Jobs beyond the history limits.
import type { IObjectReference } from "kubernetes-models/v1";
import type { KubeObject, StoreEvent } from "../store/types";
import { createRng } from "../fleet/prng";
import type { SimContext } from "./context";
import { parseCron } from "./cron-schedule";
import { isJobFinished } from "./job-controller";
import { controllerOf, isOwnedBy, iso, type Condition } from "./kube-util";
import type { TimerHandle } from "./timer-queue";
import { jobFor, withJobDefaults } from "./workloads";

export class CronJobController {
  private timers = new Map<string, { schedule: string; handle: TimerHandle }>();
  private unsubscribe?: () => void;

  constructor(private readonly ctx: SimContext) {}

  start(): void {
    this.unsubscribe = this.ctx.store.on((ev) => this.onEvent(ev));
    for (const cj of this.ctx.store.list("batch/cronjobs")) this.arm(cj);
  }

  stop(): void {
    this.unsubscribe?.();
    for (const t of this.timers.values()) t.handle.cancel();
  }

  private onEvent(ev: StoreEvent): void {
    const key = `${ev.object.metadata.namespace}/${ev.object.metadata.name}`;
    if (ev.resource === "batch/cronjobs") {
      if (ev.type === "DELETED") {
        this.timers.get(key)?.handle.cancel();
        this.timers.delete(key);
      } else if (this.timers.get(key)?.schedule !== `${ev.object.spec?.schedule}|${ev.object.spec?.suspend}`) {
        this.arm(ev.object);
      }
    } else if (ev.resource === "batch/jobs" && ev.type === "MODIFIED" && isJobFinished(ev.object)) {
      const owner = controllerOf(ev.object);
      if (owner?.kind === "CronJob") {
        const job = ev.object;
        setImmediate(() => this.sawFinished(job.metadata.namespace!, owner.name, job));
      }
    }
  }

  private arm(cj: KubeObject): void {
    const key = `${cj.metadata.namespace}/${cj.metadata.name}`;
    this.timers.get(key)?.handle.cancel();
    this.timers.delete(key);
    if (cj.spec?.suspend) {
      this.timers.set(key, { schedule: `${cj.spec?.schedule}|${cj.spec?.suspend}`, handle: { cancel() {} } });
      return;
    }
    let next: number;
    try {
      next = parseCron(cj.spec.schedule).next(this.ctx.clock());
    } catch {
      this.ctx.events.record(cj, "Warning", "UnparseableSchedule", `unparseable schedule: "${cj.spec.schedule}"`, { component: "cronjob-controller" });
      return;
    }
    const handle = this.ctx.timers.after(next - this.ctx.clock(), () => {
      const fresh = this.ctx.store.get("batch/cronjobs", cj.metadata.namespace, cj.metadata.name);
      if (!fresh) return;
      this.fire(fresh, next);
      this.arm(fresh);
    });
    this.timers.set(key, { schedule: `${cj.spec?.schedule}|${cj.spec?.suspend}`, handle });
  }

  /** Creates the Job for `scheduledMs` now (also used by tests and the control API). */
  fire(cj: KubeObject, scheduledMs: number = this.ctx.clock()): KubeObject | undefined {
    const ns = cj.metadata.namespace!;
    const jobs = this.ctx.store.list("batch/jobs", ns).filter((j) => isOwnedBy(j, cj));
    const running = jobs.filter((j) => !isJobFinished(j));
    if (running.length && cj.spec.concurrencyPolicy === "Forbid") {
      this.ctx.events.record(cj, "Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid", {
        component: "cronjob-controller",
      });
      return undefined;
    }
    if (cj.spec.concurrencyPolicy === "Replace") {
      for (const j of running) this.ctx.store.delete("batch/jobs", ns, j.metadata.name, { propagationPolicy: "Background" });
    }
    const job = jobFor(cj, scheduledMs);
    if (this.ctx.store.get("batch/jobs", ns, job.metadata.name)) return undefined;
    job.metadata.uid = createRng(this.ctx.rng.next(), job.metadata.name).uuid();
    const created = this.ctx.store.create("batch/jobs", withJobDefaults(job));
    this.ctx.events.record(cj, "Normal", "SuccessfulCreate", `Created job ${created.metadata.name}`, { component: "cronjob-controller" });
    this.ctx.store.mutate("batch/cronjobs", ns, cj.metadata.name, (d) => {
      d.status = {
        ...(d.status ?? {}),
        lastScheduleTime: iso(scheduledMs),
        active: [
          ...(d.status?.active ?? []),
          {
            apiVersion: "batch/v1",
            kind: "Job",
            name: created.metadata.name,
            namespace: ns,
            uid: created.metadata.uid,
            resourceVersion: created.metadata.resourceVersion,
          },
        ],
      };
    });
    return created;
  }

  private sawFinished(ns: string, cronJobName: string, job: KubeObject): void {
    const cj = this.ctx.store.get("batch/cronjobs", ns, cronJobName);
    if (!cj) return;
    const wasActive = (cj.status?.active ?? []).some((a: IObjectReference) => a.uid === job.metadata.uid);
    if (!wasActive) return;
    const complete = (job.status?.conditions ?? []).some((c: Condition) => c.type === "Complete" && c.status === "True");
    this.ctx.store.mutate("batch/cronjobs", ns, cronJobName, (d) => {
      const active = (d.status?.active ?? []).filter((a: IObjectReference) => a.uid !== job.metadata.uid);
      d.status = { ...(d.status ?? {}), active };
      if (!active.length) delete d.status.active;
      if (complete) d.status.lastSuccessfulTime = job.status?.completionTime ?? iso(this.ctx.clock());
    });
    this.ctx.events.record(cj, "Normal", "SawCompletedJob", `Saw completed job: ${job.metadata.name}, status: ${complete ? "Complete" : "Failed"}`, {
      component: "cronjob-controller",
    });
    const finished = this.ctx.store.list("batch/jobs", ns).filter((j) => isOwnedBy(j, cj) && isJobFinished(j));
    const prune = (list: KubeObject[], limit: number) => {
      const sorted = [...list].sort(
        (a, b) => (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "") || a.metadata.name.localeCompare(b.metadata.name),
      );
      for (const j of sorted.slice(0, Math.max(0, sorted.length - limit))) {
        try {
          this.ctx.store.delete("batch/jobs", ns, j.metadata.name, { propagationPolicy: "Background" });
          this.ctx.events.record(cj, "Normal", "SuccessfulDelete", `Deleted job ${j.metadata.name}`, { component: "cronjob-controller" });
        } catch {
          // Already gone.
        }
      }
    };
    const ok = (j: KubeObject) => (j.status?.conditions ?? []).some((c: Condition) => c.type === "Complete" && c.status === "True");
    prune(finished.filter(ok), cj.spec.successfulJobsHistoryLimit ?? 3);
    prune(
      finished.filter((j) => !ok(j)),
      cj.spec.failedJobsHistoryLimit ?? 1,
    );
  }
}

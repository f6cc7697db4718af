// Job controller: runs the pod, counts successes and failures, retries up to backoffLimit and
// finishes with Complete or Failed (BackoffLimitExceeded), with the events the real one emits.
import { randomSuffix } from "../fleet/prng";
import type { KubeObject, StoreEvent } from "../store/types";
import { controllerOf, isOwnedBy, iso, type Condition } from "./kube-util";
import { splitKey } from "./work-queue";
import { podQuotaError } from "./quota-controller";
import { podFor } from "./workloads";
import { QueuedController } from "./queued-controller";

export const isJobFinished = (job: KubeObject) =>
  (job.status?.conditions ?? []).some((c: Condition) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");

export class JobController extends QueuedController {
  private writing = false;
  private creating = new Set<string>();

  protected onEvent(ev: StoreEvent): void {
    if (ev.resource === "batch/jobs" && ev.type === "ADDED" && !isJobFinished(ev.object))
      this.queue.add(`${ev.object.metadata.namespace}/${ev.object.metadata.name}`);
    else if (ev.resource === "batch/jobs" && ev.type === "MODIFIED" && !this.writing && !isJobFinished(ev.object))
      this.queue.add(`${ev.object.metadata.namespace}/${ev.object.metadata.name}`);
    else if (ev.resource === "core/pods") {
      const owner = controllerOf(ev.object);
      if (owner?.kind === "Job") this.queue.add(`${ev.object.metadata.namespace}/${owner.name}`);
    }
  }

  protected sync(key: string): void {
    const [ns, name] = splitKey(key);
    const job = this.ctx.store.get("batch/jobs", ns, name);
    if (!job || job.metadata.deletionTimestamp || isJobFinished(job) || job.spec?.suspend) return;
    const pods = this.ctx.store.list("core/pods", ns).filter((p) => isOwnedBy(p, job));
    const succeeded = pods.filter((p) => p.status?.phase === "Succeeded").length;
    const failed = pods.filter((p) => p.status?.phase === "Failed").length;
    const active = pods.filter((p) => p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed" && !p.metadata.deletionTimestamp);
    const completions = job.spec.completions ?? 1;
    const backoffLimit = job.spec.backoffLimit ?? 6;
    const now = iso(this.ctx.clock());
    const conditions: Condition[] = [];
    let completionTime: string | undefined;
    if (succeeded >= completions) {
      conditions.push(
        {
          type: "SuccessCriteriaMet",
          status: "True",
          reason: "CompletionsReached",
          message: "Reached expected number of succeeded pods",
          lastProbeTime: now,
          lastTransitionTime: now,
        },
        {
          type: "Complete",
          status: "True",
          reason: "CompletionsReached",
          message: "Reached expected number of succeeded pods",
          lastProbeTime: now,
          lastTransitionTime: now,
        },
      );
      completionTime = now;
      this.ctx.events.record(job, "Normal", "Completed", "Job completed", { component: "job-controller" });
    } else if (failed > backoffLimit) {
      conditions.push(
        {
          type: "FailureTarget",
          status: "True",
          reason: "BackoffLimitExceeded",
          message: "Job has reached the specified backoff limit",
          lastProbeTime: now,
          lastTransitionTime: now,
        },
        {
          type: "Failed",
          status: "True",
          reason: "BackoffLimitExceeded",
          message: "Job has reached the specified backoff limit",
          lastProbeTime: now,
          lastTransitionTime: now,
        },
      );
      this.ctx.events.record(job, "Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit", { component: "job-controller" });
    } else if (active.length === 0) {
      // Failed pods are retried after an exponential back-off (10s, 20s, ...), scaled.
      const delay = failed === 0 ? 0 : 10_000 * 2 ** (failed - 1) * this.ctx.speed.backoff;
      if (this.creating.has(key)) return this.writeStatus(ns, name, active, succeeded, failed, conditions, completionTime, now);
      this.creating.add(key);
      const create = () => {
        this.creating.delete(key);
        const fresh = this.ctx.store.get("batch/jobs", ns, name);
        if (!fresh || isJobFinished(fresh)) return;
        const podName = `${name}-${randomSuffix(this.ctx.rng)}`;
        try {
          const pod = podFor(fresh, fresh.spec.template, podName);
          pod.metadata.generateName = `${name}-`;
          const quotaError = podQuotaError(this.ctx.store, pod);
          if (quotaError) throw quotaError;
          this.ctx.store.create("core/pods", pod);
          this.ctx.events.record(fresh, "Normal", "SuccessfulCreate", `Created pod: ${podName}`, { component: "job-controller" });
        } catch (err) {
          // Quota or a name clash: the next sync retries.
          this.ctx.events.record(fresh, "Warning", "FailedCreate", `Error creating: ${err instanceof Error ? err.message : String(err)}`, {
            component: "job-controller",
          });
        }
      };
      if (delay === 0) create();
      else this.ctx.timers.after(delay, create);
    }
    this.writeStatus(ns, name, active, succeeded, failed, conditions, completionTime, now);
  }

  private writeStatus(
    ns: string,
    name: string,
    active: KubeObject[],
    succeeded: number,
    failed: number,
    conditions: Condition[],
    completionTime: string | undefined,
    now: string,
  ): void {
    this.writing = true;
    try {
      this.ctx.store.mutate("batch/jobs", ns, name, (d) => {
        const ready = active.filter((p) => (p.status?.conditions ?? []).some((c: Condition) => c.type === "Ready" && c.status === "True")).length;
        d.status = {
          ...(d.status ?? {}),
          startTime: d.status?.startTime ?? now,
          ...(active.length ? { active: active.length } : {}),
          ...(succeeded ? { succeeded } : {}),
          ...(failed ? { failed } : {}),
          ready,
          terminating: 0,
          uncountedTerminatedPods: {},
          ...(conditions.length ? { conditions } : {}),
          ...(completionTime ? { completionTime } : {}),
        };
        if (!active.length) delete d.status.active;
      });
    } finally {
      this.writing = false;
    }
  }
}

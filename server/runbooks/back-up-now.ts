import "server-only";

import { RUNBOOK_INPUT_SCHEMAS, type RunbookInput } from "@/lib/runbooks/runbook-inputs";
import type { RunbookDefinition, RunbookContext, SentPlan } from "./runbook";

type Input = RunbookInput<"back-up-now">;

const LOG_TAIL_LINES = 40;

function jobNameOf(sent: SentPlan<Input>): string | undefined {
  const mutation = sent.mutations[0];
  return mutation?.type === "create-job-from-cronjob" ? mutation.jobName : undefined;
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

function runningBackups(context: RunbookContext) {
  return context.cluster
    .listForTenant("jobs", context.tenant.id)
    .filter((job) => job.status.active > 0 && !job.status.conditions.some((c) => c.type === "Complete" || c.type === "Failed"));
}

/**
 * A Job from the tenant's backup CronJob, exactly as `kubectl create job --from=cronjob/<name>`
 * makes it; verified when the Job completes, with its log tail as the run's output.
 *
 * Its mutation is previewed by the engine with a dry run (dryRun=All: the API server instantiates
 * the Job without creating it) and confirmed against that preview (server/runbooks/engine/preview.ts).
 */
export const backUpNow: RunbookDefinition<Input> = {
  id: "back-up-now",
  title: "Back up now",
  description: "Runs the tenant's scheduled backup right away (database dump and file store), as a one-off Job of its backup CronJob.",
  scope: "tenant",
  inputSchema: RUNBOOK_INPUT_SCHEMAS["back-up-now"],
  permission: () => "runbook:run",
  risk: () => "low",
  preconditions(_input, context) {
    const running = runningBackups(context);
    return [
      {
        id: "no-backup-running",
        label: "No backup is running",
        ok: running.length === 0,
        reason: running.length ? `Backup job ${running[0].metadata.name} is still running.` : undefined,
      },
    ];
  },
  plan(_input, context) {
    const cronJobName = context.settings.backupCronJobName;
    return [
      { type: "create-job-from-cronjob", namespace: context.namespace, cronJobName, jobName: `${cronJobName}-manual-${stamp(context.now)}`.slice(0, 63) },
    ];
  },
  verify(sent, context) {
    const name = jobNameOf(sent);
    const job = context.cluster.get("jobs", context.namespace, name ?? "");
    if (!job) return { done: false, progress: `Waiting for Job ${name} to appear.` };
    const failed = job.status.conditions.find((c) => c.type === "Failed");
    if (failed) return { done: true, ok: false, message: `The backup failed: ${failed.message ?? failed.reason ?? "Job failed"}` };
    if (job.status.conditions.some((c) => c.type === "Complete")) return { done: true, ok: true, message: `Backup Job ${name} completed.` };
    return { done: false, progress: job.status.active > 0 ? `Backup Job ${name} is running.` : `Backup Job ${name} is starting.` };
  },
  verifyTimeoutMs: 15 * 60_000,
  async output(sent, context) {
    const name = jobNameOf(sent);
    if (!name) return undefined;
    const pods = await context.source.listObjects(
      `/api/v1/namespaces/${encodeURIComponent(context.namespace)}/pods?labelSelector=${encodeURIComponent(`job-name=${name}`)}`,
      {
        timeoutMs: 10_000,
      },
    );
    const newest = pods.sort((a, b) =>
      String((b.metadata as { creationTimestamp?: string })?.creationTimestamp).localeCompare(
        String((a.metadata as { creationTimestamp?: string })?.creationTimestamp),
      ),
    )[0];
    const podName = (newest?.metadata as { name?: string } | undefined)?.name;
    if (!podName) return "The Job's pod is gone; no log to show.";
    const container = ((newest.spec as { containers?: { name: string }[] } | undefined)?.containers ?? [])[0]?.name;
    const stream = await context.source.openPodLog(
      context.namespace,
      podName,
      { container: container ?? "backup", tailLines: LOG_TAIL_LINES, follow: false },
      { timeoutMs: 10_000 },
    );
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8").trimEnd();
    return text ? `Last ${LOG_TAIL_LINES} lines of ${podName}:\n${text}` : `${podName} wrote no log.`;
  },
};

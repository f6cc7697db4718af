import type { RunbookId } from "@/lib/runbooks/runbook-inputs";
import type { FleetSummary, ProblemKind } from "@/lib/tenants/types";

/**
 * Acknowledging a problem on "Needs attention": who, why and until when. It stops the problem
 * shouting (it shows muted, below the rest) until it expires or is withdrawn; everyone sees it.
 */

/** How long an acknowledgement may last: a known problem is looked at again within a week. */
export const ACKNOWLEDGE_FOR_HOURS = [1, 4, 24, 72, 168] as const;

export interface AcknowledgementView {
  id: string;
  tenantId: string;
  problemKind: ProblemKind;
  acknowledgedByEmail: string;
  acknowledgedAt: string;
  expiresAt: string;
  reason: string;
}

/** The runbook that addresses each kind of problem, where one exists (the rest need a person). */
export const PROBLEM_RUNBOOKS: Record<ProblemKind, RunbookId | null> = {
  "crash-loop": "restart-instance",
  "oom-killed": "restart-instance",
  "image-pull": null,
  unschedulable: null,
  "pvc-pending": null,
  "volume-full": "expand-volume",
  "rollout-stuck": "remove-stuck-pod",
  "backup-failed": "back-up-now",
  "missing-workload": "start-instance",
  "orphan-workload": null,
  "not-ready": "verify-instance",
  "node-lost": "remove-stuck-pod",
};

export const RUNBOOK_TITLES: Record<RunbookId, string> = {
  "restart-instance": "Restart the instance",
  "stop-instance": "Stop the instance",
  "start-instance": "Start the instance",
  "remove-stuck-pod": "Remove a stuck pod",
  "expand-volume": "Expand a volume",
  "back-up-now": "Back up now",
  "verify-instance": "Verify the instance",
  "collect-diagnostics": "Collect diagnostics",
};

export type AttentionItem = FleetSummary["attention"][number];

export interface AttentionGroup {
  tenantId: string;
  tenantName: string;
  /** The worst unacknowledged problem's severity (or the worst one, when all are acknowledged). */
  severity: "critical" | "warning";
  /** The oldest unacknowledged problem's start (ISO), when known. */
  since?: string;
  /** Every problem of the group is acknowledged: it shows muted, after the others. */
  acknowledged: boolean;
  problems: AttentionItem[];
}

const severityRank = (severity: "critical" | "warning") => (severity === "critical" ? 0 : 1);
const byAge = (a?: string, b?: string) => (a ?? "\uffff").localeCompare(b ?? "\uffff");

/**
 * "Needs attention" by tenant: groups with something unacknowledged first, then by severity,
 * then oldest first; inside a group, unacknowledged problems first, by severity, then age.
 */
export function groupAttention(attention: readonly AttentionItem[]): AttentionGroup[] {
  const byTenant = new Map<string, AttentionItem[]>();
  for (const item of attention) byTenant.set(item.tenantId, [...(byTenant.get(item.tenantId) ?? []), item]);
  const groups: AttentionGroup[] = [];
  for (const [tenantId, items] of byTenant) {
    const problems = [...items].sort(
      (a, b) => Number(!!a.acknowledgement) - Number(!!b.acknowledgement) || severityRank(a.severity) - severityRank(b.severity) || byAge(a.since, b.since),
    );
    const open = problems.filter((p) => !p.acknowledgement);
    const lead = open.length ? open : problems;
    groups.push({
      tenantId,
      tenantName: items[0].tenantName,
      severity: lead.some((p) => p.severity === "critical") ? "critical" : "warning",
      since: lead
        .map((p) => p.since)
        .filter((since): since is string => !!since)
        .sort()[0],
      acknowledged: open.length === 0,
      problems,
    });
  }
  return groups.sort(
    (a, b) =>
      Number(a.acknowledged) - Number(b.acknowledged) ||
      severityRank(a.severity) - severityRank(b.severity) ||
      byAge(a.since, b.since) ||
      a.tenantName.localeCompare(b.tenantName),
  );
}

/** The problems nobody has acknowledged: what the tab title counts. */
export function unacknowledgedCount(attention: readonly AttentionItem[]): number {
  return attention.filter((item) => !item.acknowledgement).length;
}

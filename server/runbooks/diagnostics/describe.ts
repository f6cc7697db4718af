import "server-only";

// Read-only, like all of collect-diagnostics: it sends no mutation, so there is no dry-run preview to make
// (the runbook engine previews every mutating runbook; this one is a download, see server/runbooks/index.ts).

import type { DeploymentView, PvcView } from "@/lib/cluster/views";
import type { RawObject } from "@/server/kube/watch-stream";
import { formatBytes, oneLine, textTable } from "./text-table";

/** The parts of the full objects describe.txt reads (what `kubectl describe` shows first). */
interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

interface DeploymentFields {
  metadata?: { name?: string; annotations?: Record<string, string> };
  spec?: { replicas?: number; paused?: boolean; strategy?: { type?: string } };
  status?: {
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: Condition[];
  };
}

interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; message?: string; exitCode?: number; signal?: number; startedAt?: string; finishedAt?: string };
}

interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  image?: string;
  state?: ContainerState;
  lastState?: ContainerState;
}

interface PodFields {
  metadata?: { name?: string; creationTimestamp?: string; deletionTimestamp?: string; ownerReferences?: { kind?: string; name?: string }[] };
  spec?: { nodeName?: string; containers?: { name: string; image?: string }[]; initContainers?: { name: string; image?: string }[] };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    startTime?: string;
    conditions?: Condition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

interface PvcFields {
  metadata?: { name?: string };
  spec?: { storageClassName?: string; resources?: { requests?: { storage?: string } } };
  status?: { phase?: string; capacity?: { storage?: string } };
}

export interface DescribeInput {
  namespace: string;
  deployments: readonly RawObject[];
  pods: readonly RawObject[];
  pvcs: readonly RawObject[];
  /** The portal's own reading of the tenant's Deployment (status, stuck rollout, last rollout). */
  deployment?: DeploymentView;
  /** The portal's reading of the claims, with the kubelet's usage. */
  pvcViews: readonly PvcView[];
}

function conditionTable(conditions: readonly Condition[] | undefined, indent: string): string {
  if (!conditions?.length) return `${indent}(none)\n`;
  return textTable(
    ["TYPE", "STATUS", "SINCE", "REASON", "MESSAGE"],
    conditions.map((c) => [c.type ?? "", c.status ?? "", c.lastTransitionTime ?? "", c.reason ?? "", oneLine(c.message)]),
    indent,
  );
}

function describeState(state: ContainerState | undefined): string {
  if (state?.running) return `running since ${state.running.startedAt ?? "?"}`;
  if (state?.waiting) return `waiting (${[state.waiting.reason, oneLine(state.waiting.message)].filter(Boolean).join(": ") || "no reason given"})`;
  if (state?.terminated) return `terminated (${describeTermination(state.terminated)})`;
  return "unknown";
}

function describeTermination(terminated: NonNullable<ContainerState["terminated"]>): string {
  const parts = [terminated.reason ?? "no reason", `exit code ${terminated.exitCode ?? "?"}`];
  if (terminated.signal) parts.push(`signal ${terminated.signal}`);
  if (terminated.finishedAt) parts.push(`finished ${terminated.finishedAt}`);
  if (terminated.message) parts.push(oneLine(terminated.message));
  return parts.join(", ");
}

function describeDeployment(raw: RawObject, view: DeploymentView | undefined): string {
  const d = raw as DeploymentFields;
  const s = d.status ?? {};
  const lines = [
    `Deployment ${d.metadata?.name ?? "?"}`,
    `  Replicas:   ${d.spec?.replicas ?? 1} desired | ${s.updatedReplicas ?? 0} updated | ${s.replicas ?? 0} total | ${s.readyReplicas ?? 0} ready | ${s.availableReplicas ?? 0} available | ${s.unavailableReplicas ?? 0} unavailable`,
    `  Strategy:   ${d.spec?.strategy?.type ?? "RollingUpdate"}${d.spec?.paused ? " (paused)" : ""}`,
    `  Revision:   ${d.metadata?.annotations?.["deployment.kubernetes.io/revision"] ?? "?"}`,
  ];
  if (view) {
    lines.push(
      `  Status:     ${view.status}${view.rolloutStuck ? ` (rollout stuck since ${view.rolloutStuck.since ?? "?"}: ${oneLine(view.rolloutStuck.message)})` : ""}`,
    );
    if (view.lastRollout) {
      lines.push(
        `  Last rollout: revision ${view.lastRollout.revision ?? "?"}, replica set ${view.lastRollout.replicaSet}, at ${view.lastRollout.at ?? "?"}, images ${view.lastRollout.images.join(", ") || "?"}`,
      );
    }
  }
  lines.push("  Conditions:");
  return `${lines.join("\n")}\n${conditionTable(d.status?.conditions, "    ")}`;
}

function describeContainers(title: string, specs: { name: string; image?: string }[] | undefined, statuses: ContainerStatus[] | undefined): string {
  if (!specs?.length) return "";
  const byName = new Map((statuses ?? []).map((status) => [status.name, status]));
  const lines = [`  ${title}:`];
  for (const spec of specs) {
    const status = byName.get(spec.name);
    lines.push(`    ${spec.name}`);
    lines.push(`      Image:     ${spec.image ?? status?.image ?? "?"}`);
    lines.push(`      State:     ${describeState(status?.state)}`);
    lines.push(`      Ready:     ${status?.ready ?? false}`);
    lines.push(`      Restarts:  ${status?.restartCount ?? 0}`);
    if (status?.lastState?.terminated) lines.push(`      Last termination: ${describeTermination(status.lastState.terminated)}`);
  }
  return `${lines.join("\n")}\n`;
}

function describePod(raw: RawObject): string {
  const p = raw as PodFields;
  const s = p.status ?? {};
  const containers = s.containerStatuses ?? [];
  const owner = p.metadata?.ownerReferences?.[0];
  const lines = [
    `Pod ${p.metadata?.name ?? "?"}`,
    `  Phase:      ${s.phase ?? "Unknown"}${s.reason ? ` (${s.reason}${s.message ? `: ${oneLine(s.message)}` : ""})` : ""}${p.metadata?.deletionTimestamp ? `, terminating since ${p.metadata.deletionTimestamp}` : ""}`,
    `  Node:       ${p.spec?.nodeName ?? "(not scheduled)"}`,
    `  Created:    ${p.metadata?.creationTimestamp ?? "?"}`,
    `  Started:    ${s.startTime ?? "(not started)"}`,
    `  Owner:      ${owner ? `${owner.kind}/${owner.name}` : "(none)"}`,
    `  Ready:      ${containers.filter((c) => c.ready).length}/${p.spec?.containers?.length ?? containers.length}`,
    `  Restarts:   ${[...containers, ...(s.initContainerStatuses ?? [])].reduce((sum, c) => sum + (c.restartCount ?? 0), 0)}`,
  ];
  return (
    `${lines.join("\n")}\n` +
    describeContainers("Init containers", p.spec?.initContainers, s.initContainerStatuses) +
    describeContainers("Containers", p.spec?.containers, s.containerStatuses) +
    `  Conditions:\n${conditionTable(s.conditions, "    ")}`
  );
}

function describePvc(raw: RawObject, view: PvcView | undefined): string {
  const c = raw as PvcFields;
  const usage =
    view?.usedBytes !== undefined && view.capacityBytes
      ? `${formatBytes(view.usedBytes)} of ${formatBytes(view.capacityBytes)} (${view.usedPercent ?? Math.round((view.usedBytes / view.capacityBytes) * 100)}%), observed ${view.usageObservedAt ?? "?"}`
      : "unknown (no kubelet volume stats for this claim)";
  return [
    `PersistentVolumeClaim ${c.metadata?.name ?? "?"}`,
    `  Phase:      ${c.status?.phase ?? "Unknown"}${view?.resizing ? " (resizing)" : ""}`,
    `  Class:      ${c.spec?.storageClassName ?? "(default)"}${view && !view.storageClassExists ? " (no such storage class)" : view?.expandable === false ? " (not expandable)" : ""}`,
    `  Requested:  ${c.spec?.resources?.requests?.storage ?? "?"}`,
    `  Capacity:   ${c.status?.capacity?.storage ?? "(none yet)"}`,
    `  Used:       ${usage}`,
  ].join("\n");
}

/** A `kubectl describe`-like summary of the tenant's workload: what an operator reads first. */
export function describeTenant(input: DescribeInput): string {
  const sections = [`Namespace ${input.namespace}\n`];
  sections.push(
    input.deployments.length
      ? input.deployments.map((d) => describeDeployment(d, input.deployment?.name === d.metadata?.name ? input.deployment : undefined)).join("\n")
      : "No Deployments in the namespace.\n",
  );
  sections.push(input.pods.length ? input.pods.map(describePod).join("\n") : "No pods in the namespace.\n");
  const views = new Map(input.pvcViews.map((view) => [view.name, view]));
  sections.push(
    input.pvcs.length
      ? `${input.pvcs.map((pvc) => describePvc(pvc, views.get(pvc.metadata?.name ?? ""))).join("\n\n")}\n`
      : "No PersistentVolumeClaims in the namespace.\n",
  );
  return sections.join("\n");
}

import "server-only";

import { GATE_TITLES, gateKey, type GateFailingTenant, type GateId, type GateResultView, type GateState } from "@/lib/migration/gates";
import { runsOnKubernetes } from "@/lib/migration/tenant-states";
import type { HealthState } from "@/lib/tenants/types";
import type { GateInputs, GateTenant } from "./gate-inputs";

/**
 * One pure evaluator per gate (lib/migration/gates.ts GATE_IDS): plain inputs in, a
 * GateResultView out. No clock reads (inputs.now) and no I/O, so each is tested on fixtures.
 */

export const FAILING_SHOWN = 50;
export const BACKUP_MAX_AGE_MS = 24 * 60 * 60_000;
export const VOLUME_LIMIT_PERCENT = 90;
/** A watch may be stale this long (a restart, a brief outage) before cluster access counts as broken. */
export const STALE_GRACE_MS = 60_000;
/** Health states that count as "unhealthy now" for a tenant of a finished wave. */
const UNHEALTHY: ReadonlySet<HealthState> = new Set(["degraded", "down", "missing"]);

interface Verdict {
  state: GateState;
  summary: string;
  failing?: GateFailingTenant[];
}

function result(inputs: GateInputs, gateId: GateId, param: string | null, verdict: Verdict): GateResultView {
  const failing = verdict.failing ?? [];
  return {
    key: gateKey(gateId, param),
    gateId,
    param,
    title: param ? `${GATE_TITLES[gateId]}: ${param}` : GATE_TITLES[gateId],
    state: verdict.state,
    summary: verdict.summary,
    failing: failing.slice(0, FAILING_SHOWN),
    failingCount: failing.length,
    evaluatedAt: inputs.now.toISOString(),
  };
}

const NOT_WARM: Verdict = { state: "unknown", summary: "Waiting for the cluster cache to load" };

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}

function onKubernetes(tenant: GateTenant): boolean {
  return runsOnKubernetes(tenant.migrationState);
}

function failingTenant(tenant: GateTenant, reason: string): GateFailingTenant {
  return { tenantId: tenant.id, name: tenant.name, reason };
}

function byName(a: GateFailingTenant, b: GateFailingTenant): number {
  return a.name.localeCompare(b.name);
}

export function evaluateProductionBackups(inputs: GateInputs): GateResultView {
  const gateId = "production-backups-24h";
  if (!inputs.cacheWarm) return result(inputs, gateId, null, NOT_WARM);
  const since = inputs.now.getTime() - BACKUP_MAX_AGE_MS;
  const tenants = inputs.tenants.filter((tenant) => tenant.instanceType === "production" && onKubernetes(tenant));
  const failing: GateFailingTenant[] = [];
  for (const tenant of tenants) {
    const succeeded = tenant.backups.filter((backup) => backup.status === "succeeded");
    const recent = succeeded.some((backup) => Date.parse(backup.finishedAt ?? backup.startedAt ?? "") >= since);
    if (recent) continue;
    const newest = succeeded
      .map((backup) => backup.finishedAt ?? backup.startedAt ?? "")
      .sort()
      .at(-1);
    const lastFailed = tenant.backups.some((backup) => backup.status === "failed");
    failing.push(
      failingTenant(
        tenant,
        newest
          ? `Last successful backup ${newest}${lastFailed ? "; a later one failed" : ""}`
          : lastFailed
            ? "Backups failed, none succeeded"
            : "No backup Job found",
      ),
    );
  }
  failing.sort(byName);
  if (tenants.length === 0) return result(inputs, gateId, null, { state: "pass", summary: "No production tenant runs on Kubernetes yet" });
  return result(inputs, gateId, null, {
    state: failing.length ? "fail" : "pass",
    summary: failing.length
      ? `${failing.length.toLocaleString("en-US")} of ${plural(tenants.length, "production tenant")} on Kubernetes have no successful backup in the last 24 h`
      : `All ${plural(tenants.length, "production tenant")} on Kubernetes have a successful backup in the last 24 h`,
    failing,
  });
}

export function evaluateFinishedWavesHealthy(inputs: GateInputs): GateResultView {
  const gateId = "finished-waves-healthy";
  if (!inputs.cacheWarm) return result(inputs, gateId, null, NOT_WARM);
  const finished = inputs.waves.filter((wave) => wave.state === "completed");
  const tenantsById = new Map(inputs.tenants.map((tenant) => [tenant.id, tenant]));
  const checked = new Set<string>();
  const failing: GateFailingTenant[] = [];
  for (const wave of finished) {
    for (const tenantId of wave.tenantIds) {
      if (checked.has(tenantId)) continue;
      checked.add(tenantId);
      const tenant = tenantsById.get(tenantId);
      if (!tenant) {
        failing.push({ tenantId, name: tenantId, reason: `In wave “${wave.name}” but no longer in the registry` });
        continue;
      }
      if (UNHEALTHY.has(tenant.health)) failing.push(failingTenant(tenant, `${tenant.health}: ${tenant.healthReason} (wave “${wave.name}”)`));
    }
  }
  failing.sort(byName);
  if (finished.length === 0) return result(inputs, gateId, null, { state: "pass", summary: "No wave has finished yet" });
  return result(inputs, gateId, null, {
    state: failing.length ? "fail" : "pass",
    summary: failing.length
      ? `${failing.length.toLocaleString("en-US")} of ${plural(checked.size, "tenant")} in ${plural(finished.length, "finished wave")} are unhealthy now`
      : `All ${plural(checked.size, "tenant")} in ${plural(finished.length, "finished wave")} are healthy`,
    failing,
  });
}

export function evaluateVolumesBound(inputs: GateInputs): GateResultView {
  const gateId = "volumes-bound-below-90";
  if (!inputs.cacheWarm) return result(inputs, gateId, null, NOT_WARM);
  const statsSynced = inputs.freshness.find((feed) => feed.kind === "volume-stats")?.synced ?? false;
  if (!statsSynced) return result(inputs, gateId, null, { state: "unknown", summary: "Waiting for the first volume usage poll (kubelet stats)" });
  const tenants = inputs.tenants.filter(onKubernetes);
  const failing: GateFailingTenant[] = [];
  let volumes = 0;
  let withoutStats = 0;
  for (const tenant of tenants) {
    const reasons: string[] = [];
    for (const volume of tenant.volumes) {
      volumes += 1;
      if (volume.phase !== "Bound") reasons.push(`${volume.name} is ${volume.phase}`);
      else if (volume.usedPercent === undefined) withoutStats += 1;
      else if (volume.usedPercent >= VOLUME_LIMIT_PERCENT) reasons.push(`${volume.name} ${Math.round(volume.usedPercent * 10) / 10}% used`);
    }
    if (reasons.length) failing.push(failingTenant(tenant, reasons.join("; ")));
  }
  failing.sort(byName);
  const noStats = withoutStats ? ` (${plural(withoutStats, "volume")} without usage stats yet)` : "";
  return result(inputs, gateId, null, {
    state: failing.length ? "fail" : "pass",
    summary: failing.length
      ? `${failing.length.toLocaleString("en-US")} of ${plural(tenants.length, "tenant")} on Kubernetes have a volume not Bound or at ${VOLUME_LIMIT_PERCENT} % or more${noStats}`
      : `All ${plural(volumes, "volume")} of ${plural(tenants.length, "tenant")} on Kubernetes are Bound and below ${VOLUME_LIMIT_PERCENT} %${noStats}`,
    failing,
  });
}

function isForbidden(error: string | undefined): boolean {
  return error !== undefined && /\b403\b|forbidden/i.test(error);
}

/**
 * Judged even before the cache is warm when a watch is refused: a forbidden list never warms the
 * cache, and that is exactly what this gate is about.
 */
export function evaluateClusterAccess(inputs: GateInputs): GateResultView {
  const gateId = "cluster-access";
  const forbidden = inputs.freshness.filter((feed) => isForbidden(feed.error) && feed.stale);
  if (forbidden.length) {
    return result(inputs, gateId, null, {
      state: "fail",
      summary: `Kubernetes forbids the portal to watch ${forbidden.map((feed) => feed.kind).join(", ")}: ${forbidden[0].error}`,
    });
  }
  if (!inputs.cacheWarm) return result(inputs, gateId, null, NOT_WARM);
  const cutoff = inputs.now.getTime() - STALE_GRACE_MS;
  const stale = inputs.freshness.filter((feed) => feed.staleSince !== undefined && Date.parse(feed.staleSince) <= cutoff);
  if (stale.length) {
    return result(inputs, gateId, null, {
      state: "fail",
      summary: `${stale.map((feed) => feed.kind).join(", ")} stale since ${stale[0].staleSince}${stale[0].error ? `: ${stale[0].error}` : ""}`,
    });
  }
  return result(inputs, gateId, null, {
    state: "pass",
    summary: `All ${plural(inputs.freshness.length, "watch", "watches")} of the portal's cluster are live`,
  });
}

export function evaluateRunbookSucceededInStaging(inputs: GateInputs, runbookId: string): GateResultView {
  const gateId = "runbook-succeeded-in-staging";
  const staging = new Set(inputs.tenants.filter((tenant) => tenant.instanceType === "staging").map((tenant) => tenant.id));
  const runs = inputs.succeededRuns
    .filter((run) => run.runbookId === runbookId && staging.has(run.tenantId))
    .sort((a, b) => (b.endedAt ?? "").localeCompare(a.endedAt ?? ""));
  const latest = runs[0];
  if (latest) {
    return result(inputs, gateId, runbookId, {
      state: "pass",
      summary: `${runbookId} succeeded on staging tenant ${latest.tenantName}${latest.endedAt ? ` at ${latest.endedAt}` : ""} (${plural(runs.length, "run")})`,
    });
  }
  // A success in the run history is conclusive; its absence is judged once the directory (instance types) is loaded.
  if (!inputs.cacheWarm || inputs.tenants.length === 0) return result(inputs, gateId, runbookId, NOT_WARM);
  return result(inputs, gateId, runbookId, {
    state: "fail",
    summary: staging.size
      ? `${runbookId} has not succeeded on any of the ${plural(staging.size, "staging tenant")} yet`
      : "There is no staging tenant in the registry",
  });
}

/** A gate as a checklist task names it: the id and, for the staging gate, the runbook id. */
export interface GateRequest {
  gateId: GateId;
  param: string | null;
}

export function evaluateGate(inputs: GateInputs, request: GateRequest): GateResultView {
  switch (request.gateId) {
    case "production-backups-24h":
      return evaluateProductionBackups(inputs);
    case "finished-waves-healthy":
      return evaluateFinishedWavesHealthy(inputs);
    case "volumes-bound-below-90":
      return evaluateVolumesBound(inputs);
    case "cluster-access":
      return evaluateClusterAccess(inputs);
    case "runbook-succeeded-in-staging":
      if (!request.param) {
        return result(inputs, request.gateId, null, { state: "unknown", summary: "No runbook named: the task must say which runbook (gateParam)" });
      }
      return evaluateRunbookSucceededInStaging(inputs, request.param);
  }
}

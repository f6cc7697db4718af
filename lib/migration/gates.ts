/**
 * The automatic checks a checklist task can carry, evaluated continuously on the server from the
 * watch cache, the registry, the migration states and the run history (server/migration/gates.ts).
 */
export const GATE_IDS = [
  "production-backups-24h",
  "finished-waves-healthy",
  "volumes-bound-below-90",
  "cluster-access",
  "runbook-succeeded-in-staging",
] as const;

export type GateId = (typeof GATE_IDS)[number];

export const GATE_TITLES: Record<GateId, string> = {
  "production-backups-24h": "Every production tenant on Kubernetes has a successful backup in the last 24 h",
  "finished-waves-healthy": "No tenant of a finished wave is unhealthy",
  "volumes-bound-below-90": "Every tenant on Kubernetes has its volume Bound and below 90 %",
  "cluster-access": "The portal's own cluster access works (nothing forbidden)",
  "runbook-succeeded-in-staging": "The runbook has succeeded on a staging tenant",
};

/** "unknown": the gate cannot be judged now (the cache is not warm, a watch is stale). */
export type GateState = "pass" | "fail" | "unknown";

export interface GateFailingTenant {
  tenantId: string;
  name: string;
  reason: string;
}

export interface GateResultView {
  /** `${gateId}` or `${gateId}:${param}` for a gate with a parameter. */
  key: string;
  gateId: GateId;
  param: string | null;
  title: string;
  state: GateState;
  /** One line: "3 of 120 production tenants have no backup in the last 24 h". */
  summary: string;
  /** The first tenants that fail it (at most 50); failingCount has them all. */
  failing: GateFailingTenant[];
  failingCount: number;
  evaluatedAt: string;
}

export function gateKey(gateId: GateId, param: string | null | undefined): string {
  return param ? `${gateId}:${param}` : gateId;
}

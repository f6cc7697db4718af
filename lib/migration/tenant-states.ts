/**
 * A tenant's move from Docker Swarm to Kubernetes (the cold per-tenant migration of the plan):
 * on Swarm → scheduled (in a wave) → backed up (pg_dump + CephFS snapshot) → stopped on Swarm →
 * data restored (database and files in the Kubernetes PVC) → started on Kubernetes → verified →
 * DNS switched → done. Any state after "scheduled" may be rolled back (with the reason); a rolled
 * back tenant is on Swarm again and may be scheduled once more.
 */
export const TENANT_MIGRATION_STATES = [
  "on-swarm",
  "scheduled",
  "backed-up",
  "stopped-on-swarm",
  "data-restored",
  "started-on-kubernetes",
  "verified",
  "dns-switched",
  "done",
  "rolled-back",
] as const;

export type TenantMigrationState = (typeof TENANT_MIGRATION_STATES)[number];

/** A tenant the portal has no migration row for was provisioned on Kubernetes. */
export const NATIVE_STATE = "native" as const;
export type TenantMigrationStateOrNative = TenantMigrationState | typeof NATIVE_STATE;

export const TENANT_MIGRATION_STATE_LABELS: Record<TenantMigrationStateOrNative, string> = {
  "on-swarm": "On Swarm",
  scheduled: "Scheduled",
  "backed-up": "Backed up",
  "stopped-on-swarm": "Stopped on Swarm",
  "data-restored": "Data restored",
  "started-on-kubernetes": "Started on Kubernetes",
  verified: "Verified",
  "dns-switched": "DNS switched",
  done: "Done",
  "rolled-back": "Rolled back",
  native: "On Kubernetes",
};

/** Who may make a transition happen. */
export type TransitionActor = "person" | "token" | "wave";

interface Transition {
  to: TenantMigrationState;
  /** Steps the cluster can do and see run as runbook runs (a wave); the others are attested. */
  by: readonly TransitionActor[];
}

const ATTESTED: readonly TransitionActor[] = ["person", "token"];
const CLUSTER: readonly TransitionActor[] = ["wave"];

const FORWARD: Record<TenantMigrationState, Transition[]> = {
  "on-swarm": [{ to: "scheduled", by: ["person", "wave"] }],
  scheduled: [
    { to: "backed-up", by: ATTESTED },
    { to: "on-swarm", by: ["person", "wave"] },
  ],
  "backed-up": [{ to: "stopped-on-swarm", by: ATTESTED }],
  "stopped-on-swarm": [{ to: "data-restored", by: ATTESTED }],
  "data-restored": [{ to: "started-on-kubernetes", by: CLUSTER }],
  "started-on-kubernetes": [{ to: "verified", by: CLUSTER }],
  verified: [{ to: "dns-switched", by: ATTESTED }],
  "dns-switched": [{ to: "done", by: ["person", "token", "wave"] }],
  done: [],
  "rolled-back": [{ to: "scheduled", by: ["person", "wave"] }],
};

/** States from which a rollback is possible (before that nothing has moved; after "done" it is over). */
const ROLLBACK_FROM: ReadonlySet<TenantMigrationState> = new Set([
  "backed-up",
  "stopped-on-swarm",
  "data-restored",
  "started-on-kubernetes",
  "verified",
  "dns-switched",
]);

/** Where the tenant's workload runs in each state: Kubernetes from "started" on. */
export function runsOnKubernetes(state: TenantMigrationStateOrNative): boolean {
  return state === "native" || state === "started-on-kubernetes" || state === "verified" || state === "dns-switched" || state === "done";
}

/**
 * While a tenant is still served by Swarm its Kubernetes workload may be missing or scaled to 0
 * on purpose: that is not a problem of the tenant.
 */
export function kubernetesWorkloadExpected(state: TenantMigrationStateOrNative): boolean {
  return runsOnKubernetes(state);
}

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

/** Whether `from → to` is a legal step for `actor`; the reason says what is allowed instead. */
export function checkTransition(from: TenantMigrationStateOrNative, to: TenantMigrationState, actor: TransitionActor): TransitionCheck {
  if (from === "native") return { ok: false, reason: "This tenant was never on Swarm: it has no migration to track." };
  if (to === "rolled-back") {
    if (ROLLBACK_FROM.has(from)) return { ok: true };
    return { ok: false, reason: `A tenant in “${TENANT_MIGRATION_STATE_LABELS[from]}” cannot be rolled back.` };
  }
  const options = FORWARD[from];
  const match = options.find((t) => t.to === to);
  if (!match) {
    const next = options.map((t) => `“${TENANT_MIGRATION_STATE_LABELS[t.to]}”`).join(" or ");
    return {
      ok: false,
      reason: `A tenant in “${TENANT_MIGRATION_STATE_LABELS[from]}” cannot move to “${TENANT_MIGRATION_STATE_LABELS[to]}”${next ? `; next is ${next}` : ": its migration is finished"}.`,
    };
  }
  if (!match.by.includes(actor)) {
    const who =
      match.by.includes("wave") && match.by.length === 1
        ? "a wave's runbook run (the cluster does and sees this step)"
        : "an attestation by a person or a migration script";
    return { ok: false, reason: `“${TENANT_MIGRATION_STATE_LABELS[to]}” is recorded by ${who}.` };
  }
  return { ok: true };
}

/** The next forward states from `from` (for the UI's "record step" menu). */
export function nextStates(from: TenantMigrationStateOrNative, actor: TransitionActor): TenantMigrationState[] {
  if (from === "native") return [];
  const forward = FORWARD[from].filter((t) => t.by.includes(actor)).map((t) => t.to);
  return ROLLBACK_FROM.has(from) && actor !== "wave" ? [...forward, "rolled-back"] : forward;
}

/** Position on the board (rolled back sits with "on Swarm"). */
export function stageIndex(state: TenantMigrationStateOrNative): number {
  if (state === "native") return TENANT_MIGRATION_STATES.indexOf("done");
  if (state === "rolled-back") return 0;
  return TENANT_MIGRATION_STATES.indexOf(state);
}

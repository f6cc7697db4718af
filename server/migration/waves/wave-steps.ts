import "server-only";

import type { WaveStep } from "@/lib/migration/waves";
import type { TenantMigrationState } from "@/lib/migration/tenant-states";
import type { RunbookRequest } from "@/lib/runbooks/runbook-inputs";

/** What each step of a wave runs, from which tenant state, and where a success leaves the tenant. */
export interface WaveStepDefinition {
  step: WaveStep;
  /** The tenant states the step applies to (rollback: any state that can be rolled back). */
  from: readonly TenantMigrationState[];
  to: TenantMigrationState;
  request(reason?: string): RunbookRequest;
}

export const WAVE_STEP_DEFINITIONS: Record<WaveStep, WaveStepDefinition> = {
  start: {
    step: "start",
    from: ["data-restored"],
    to: "started-on-kubernetes",
    request: () => ({ runbookId: "start-instance", input: {} }),
  },
  verify: {
    step: "verify",
    from: ["started-on-kubernetes"],
    to: "verified",
    request: () => ({ runbookId: "verify-instance", input: {} }),
  },
  rollback: {
    step: "rollback",
    from: ["started-on-kubernetes", "verified", "dns-switched"],
    to: "rolled-back",
    request: (reason) => ({ runbookId: "stop-instance", input: reason ? { reason } : {} }),
  },
};

/** The run's idempotency key: the same step of the same tenant in the same attempt is one run, ever. */
export function waveRunKey(waveId: string, step: WaveStep, tenantId: string, attempt: number): string {
  return `wave:${waveId}:${step}:${tenantId}:${attempt}`;
}

/** States that count as "verified or further" for the board's progress and the exit gate. */
export const VERIFIED_OR_LATER: ReadonlySet<string> = new Set(["verified", "dns-switched", "done"]);

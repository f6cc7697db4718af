import "server-only";

import type { RunbookId } from "@/lib/runbooks/runbook-inputs";
import { backUpNow } from "./back-up-now";
import { expandVolume } from "./expand-volume";
import { removeStuckPod } from "./remove-stuck-pod";
import { restartInstance } from "./restart-instance";
import type { RunbookDefinition } from "./runbook";
import { startInstance } from "./start-instance";
import { stopInstance } from "./stop-instance";
import { verifyInstance } from "./verify-instance";

export type MutatingRunbookId = Exclude<RunbookId, "collect-diagnostics">;

/**
 * Every mutating runbook, one module each (server/runbooks/<id>.ts); the engine knows them only
 * through this map. "collect-diagnostics" is a download (server/runbooks/diagnostics/), not a run.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own input type
export const RUNBOOKS: Record<MutatingRunbookId, RunbookDefinition<any>> = {
  "restart-instance": restartInstance,
  "stop-instance": stopInstance,
  "start-instance": startInstance,
  "remove-stuck-pod": removeStuckPod,
  "expand-volume": expandVolume,
  "back-up-now": backUpNow,
  "verify-instance": verifyInstance,
};

export function isMutatingRunbook(id: RunbookId): id is MutatingRunbookId {
  return id in RUNBOOKS;
}

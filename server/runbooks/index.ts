import "server-only";

import type { RunbookId } from "@/lib/runbooks/runbook-inputs";
import type { RunbookDefinition } from "./runbook";

/**
 * Every mutating runbook, one module each (server/runbooks/<id>.ts); the engine knows them only
 * through this map. "collect-diagnostics" is a download (server/runbooks/diagnostics/), not a run.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own input type
export const RUNBOOKS: Partial<Record<Exclude<RunbookId, "collect-diagnostics">, RunbookDefinition<any>>> = {};

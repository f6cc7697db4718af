import { formatDuration } from "@/components/tenants/time-format";
import type { RunView } from "@/lib/runbooks/run-views";

/** From start to end (or to now while running); undefined before it started. */
export function runDuration(run: Pick<RunView, "startedAt" | "endedAt">, now = Date.now()): string | undefined {
  if (!run.startedAt) return undefined;
  return formatDuration((run.endedAt ? Date.parse(run.endedAt) : now) - Date.parse(run.startedAt));
}

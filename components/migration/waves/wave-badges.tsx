import { Badge, type BadgeTone } from "@/components/ui/badge";
import { WAVE_STATE_LABELS, type WaveRunView, type WaveState } from "@/lib/migration/waves";

const WAVE_TONE: Record<WaveState, BadgeTone> = {
  draft: "neutral",
  running: "info",
  waiting: "neutral",
  paused: "warning",
  completed: "success",
  cancelled: "neutral",
};

export function WaveStateBadge({ state }: { state: WaveState }) {
  return (
    <Badge tone={WAVE_TONE[state]} data-testid="wave-state" data-state={state}>
      {WAVE_STATE_LABELS[state]}
    </Badge>
  );
}

const RUN_TONE: Record<WaveRunView["state"], BadgeTone> = {
  pending: "neutral",
  running: "info",
  succeeded: "success",
  failed: "danger",
  interrupted: "warning",
};

const RUN_LABEL: Record<WaveRunView["state"], string> = {
  pending: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  interrupted: "Interrupted",
};

const STEP_SHORT: Record<WaveRunView["step"], string> = { start: "Start", verify: "Verify", rollback: "Rollback" };

/** "Start: succeeded", "Verify: failed (attempt 2)": the tenant's newest run in the wave. */
export function WaveRunBadge({ run }: { run: WaveRunView }) {
  return (
    <Badge tone={RUN_TONE[run.state]}>
      {STEP_SHORT[run.step]}: {RUN_LABEL[run.state].toLowerCase()}
      {run.attempt > 1 ? ` (attempt ${run.attempt})` : ""}
    </Badge>
  );
}

/** "12 of 20 verified" as a bar with its numbers, readable without the colour. */
export function WaveProgress({ verified, total }: { verified: number; total: number }) {
  const percent = total > 0 ? Math.round((verified / total) * 100) : 0;
  return (
    <div className="min-w-32">
      <div
        role="progressbar"
        aria-label="Tenants verified"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={verified}
        className="h-2 w-full overflow-hidden rounded bg-slate-200"
      >
        <div className="h-full bg-emerald-600" style={{ width: `${percent}%` }} />
      </div>
      <p className="mt-0.5 text-xs text-slate-600">
        {verified} of {total} verified
      </p>
    </div>
  );
}

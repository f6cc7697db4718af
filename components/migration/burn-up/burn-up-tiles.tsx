import type { BurnUp } from "@/lib/migration/burn-up";
import { WORKSTREAM_LABELS } from "@/lib/migration/checklist";
import { cn } from "@/components/ui/cn";

function Tile({
  label,
  value,
  detail,
  tone = "neutral",
  testId,
}: {
  label: string;
  value: string;
  detail?: string;
  tone?: "neutral" | "danger" | "warning" | "success";
  testId: string;
}) {
  const toneClass = { neutral: "text-slate-900", danger: "text-red-700", warning: "text-amber-800", success: "text-emerald-700" }[tone];
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2 shadow-xs" data-testid={testId}>
      <p className="text-xs font-medium text-slate-600">{label}</p>
      <p className={cn("text-lg font-semibold tabular", toneClass)}>{value}</p>
      {detail ? <p className="text-xs text-slate-600">{detail}</p> : null}
    </div>
  );
}

/** The counts beside the chart: done of total, overdue, due this week, forecast against target. */
export function BurnUpTiles({ burnUp }: { burnUp: BurnUp }) {
  const percent = burnUp.total > 0 ? Math.round((burnUp.done / burnUp.total) * 100) : 0;
  const pace =
    burnUp.pacePerDay > 0
      ? `${(burnUp.pacePerDay * 7).toFixed(1)} tasks a week over the last ${burnUp.paceWindowDays} days`
      : "Nothing done in the last 14 days";
  return (
    <div className="grid grid-cols-2 gap-2 lg:grid-cols-4">
      <Tile
        label="Done"
        value={`${burnUp.done} of ${burnUp.total}`}
        detail={`${percent} %`}
        testId="migration-tile-done"
        tone={burnUp.total > 0 && burnUp.done === burnUp.total ? "success" : "neutral"}
      />
      <Tile label="Overdue" value={String(burnUp.overdue)} tone={burnUp.overdue > 0 ? "danger" : "neutral"} testId="migration-tile-overdue" />
      <Tile
        label="Due this week"
        value={String(burnUp.dueThisWeek)}
        tone={burnUp.dueThisWeek > 0 ? "warning" : "neutral"}
        testId="migration-tile-due-this-week"
      />
      <Tile
        label="Forecast finish"
        value={burnUp.forecastDate ?? "No forecast yet"}
        detail={`${burnUp.targetDate ? `Target ${burnUp.targetDate}` : "No target date"}${burnUp.onTrack === false ? " · behind plan" : burnUp.onTrack ? " · on track" : ""} · ${pace}`}
        tone={burnUp.onTrack === false ? "danger" : burnUp.onTrack ? "success" : "neutral"}
        testId="migration-tile-forecast"
      />
    </div>
  );
}

/** One bar per workstream: done of its tasks. */
export function WorkstreamProgress({ burnUp }: { burnUp: BurnUp }) {
  return (
    <ul className="grid gap-x-6 gap-y-2 sm:grid-cols-2" data-testid="migration-workstreams">
      {burnUp.workstreams.map((progress) => {
        const label = WORKSTREAM_LABELS[progress.workstream];
        const percent = progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
        return (
          <li key={progress.workstream} className="space-y-1">
            <div className="flex justify-between gap-2 text-xs">
              <span className="font-medium text-slate-700">{label}</span>
              <span className="tabular text-slate-600">
                {progress.done} / {progress.total}
              </span>
            </div>
            <div
              role="progressbar"
              aria-label={`${label} progress`}
              aria-valuemin={0}
              aria-valuemax={progress.total}
              aria-valuenow={progress.done}
              aria-valuetext={`${progress.done} of ${progress.total} done`}
              className="h-2 overflow-hidden rounded bg-slate-200"
            >
              <div className="h-full rounded bg-emerald-600" style={{ width: `${percent}%` }} />
            </div>
          </li>
        );
      })}
    </ul>
  );
}

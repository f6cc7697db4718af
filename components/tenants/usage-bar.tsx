import clsx from "clsx";

/** A volume fills up: green below 75 %, amber to 90 %, red above. */
export function UsageBar({ percent, label, emptyText = "no usage reported" }: { percent: number | undefined | null; label: string; emptyText?: string }) {
  if (percent === undefined || percent === null || Number.isNaN(percent)) {
    return <span className="text-xs text-slate-400">{emptyText}</span>;
  }
  const shown = Math.min(100, Math.max(0, percent));
  return (
    <div className="flex items-center gap-2">
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(shown)}
        aria-valuetext={`${Math.round(percent)} % used`}
        className="h-2 flex-1 overflow-hidden rounded-full bg-slate-100"
      >
        <div
          className={clsx("h-full rounded-full", percent >= 90 ? "bg-red-600" : percent >= 75 ? "bg-amber-500" : "bg-green-600")}
          style={{ width: `${shown}%` }}
        />
      </div>
      <span className="w-10 text-right font-mono text-xs tabular-nums text-slate-700">{Math.round(percent)}%</span>
    </div>
  );
}

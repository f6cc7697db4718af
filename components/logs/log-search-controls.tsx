"use client";

import clsx from "clsx";
import { FILTER_LEVELS, type FilterLevel } from "./log-level";
import type { LogViewParams } from "./log-view-params";

const LEVEL_LABEL: Record<FilterLevel, string> = { ERROR: "Error", WARNING: "Warning", INFO: "Info", DEBUG: "Debug" };
const LEVEL_CHIP: Record<FilterLevel, string> = {
  ERROR: "has-checked:border-red-400 has-checked:bg-red-50 has-checked:text-red-900",
  WARNING: "has-checked:border-amber-400 has-checked:bg-amber-50 has-checked:text-amber-950",
  INFO: "has-checked:border-blue-400 has-checked:bg-blue-50 has-checked:text-blue-900",
  DEBUG: "has-checked:border-slate-500 has-checked:bg-slate-100",
};

function Toggle({ label, checked, onChange, title }: { label: string; checked: boolean; onChange(checked: boolean): void; title?: string }) {
  return (
    <label className="flex items-center gap-1.5 text-sm text-slate-800" title={title}>
      <input type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} />
      {label}
    </label>
  );
}

export function LogSearchControls({
  params,
  searchError,
  matchCount,
  matchPosition,
  onChange,
  onStep,
}: {
  params: LogViewParams;
  searchError: string | undefined;
  matchCount: number;
  /** 1-based position of the current match, or 0 when none is selected. */
  matchPosition: number;
  onChange(change: Partial<LogViewParams>): void;
  onStep(direction: 1 | -1): void;
}) {
  const searching = params.q !== "" && !searchError;
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
      <div className="flex flex-col max-sm:w-full">
        <div className="flex items-center gap-1">
          <input
            type="search"
            aria-label="Search logs"
            aria-invalid={searchError ? true : undefined}
            aria-describedby={searchError ? "log-search-error" : undefined}
            placeholder={params.regex ? "Regular expression" : "Search"}
            className="w-64 min-w-0 rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-sm aria-[invalid=true]:border-red-600 max-sm:flex-1"
            value={params.q}
            onChange={(event) => onChange({ q: event.target.value })}
            onKeyDown={(event) => {
              if (event.key === "Enter") {
                event.preventDefault();
                onStep(event.shiftKey ? -1 : 1);
              }
            }}
          />
          <button
            type="button"
            aria-label="Previous match"
            title="Previous match (Shift+Enter)"
            disabled={!matchCount}
            onClick={() => onStep(-1)}
            className="h-7 rounded-md border border-slate-300 bg-white px-2 text-sm disabled:text-slate-300"
          >
            ↑
          </button>
          <button
            type="button"
            aria-label="Next match"
            title="Next match (Enter)"
            disabled={!matchCount}
            onClick={() => onStep(1)}
            className="h-7 rounded-md border border-slate-300 bg-white px-2 text-sm disabled:text-slate-300"
          >
            ↓
          </button>
          <span
            data-testid="log-match-count"
            aria-live="polite"
            className={clsx("min-w-24 text-xs tabular-nums", searching ? "text-slate-700" : "text-slate-400")}
          >
            {searching
              ? matchPosition
                ? `${matchPosition} of ${matchCount.toLocaleString("en")}`
                : `${matchCount.toLocaleString("en")} ${matchCount === 1 ? "match" : "matches"}`
              : ""}
          </span>
        </div>
        {searchError && (
          <p id="log-search-error" role="alert" data-testid="log-search-error" className="mt-0.5 text-xs text-red-700">
            {searchError}
          </p>
        )}
      </div>
      <Toggle label="Match case" checked={params.case} onChange={(checked) => onChange({ case: checked })} />
      <Toggle label="Regular expression" checked={params.regex} onChange={(checked) => onChange({ regex: checked })} />
      <Toggle
        label="Only matching lines"
        title="Off: matches are highlighted among all lines"
        checked={params.filter}
        onChange={(checked) => onChange({ filter: checked })}
      />
      <fieldset className="flex items-center gap-1.5">
        <legend className="sr-only">Levels</legend>
        <span aria-hidden className="text-xs font-medium text-slate-600">
          Levels
        </span>
        {FILTER_LEVELS.map((level) => (
          <label
            key={level}
            className={clsx("flex cursor-pointer items-center gap-1 rounded-full border border-slate-300 px-2 py-0.5 text-xs", LEVEL_CHIP[level])}
          >
            <input
              type="checkbox"
              className="size-3"
              checked={params.level.includes(level)}
              onChange={(event) =>
                onChange({
                  level: event.target.checked
                    ? FILTER_LEVELS.filter((entry) => entry === level || params.level.includes(entry))
                    : params.level.filter((entry) => entry !== level),
                })
              }
            />
            {LEVEL_LABEL[level]}
          </label>
        ))}
      </fieldset>
    </div>
  );
}

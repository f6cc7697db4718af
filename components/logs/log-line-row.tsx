import clsx from "clsx";
import { memo } from "react";
import { ansiSegments, highlightSegments } from "./ansi-segments";
import type { BufferedLine } from "./log-buffer";
import { filterLevelOf } from "./log-level";
import type { LineMatcher } from "./log-search";

const LEVEL_STYLE: Record<string, string> = {
  ERROR: "border-l-red-500 bg-red-950/40",
  WARNING: "border-l-amber-400 bg-amber-950/30",
  INFO: "border-l-transparent",
  DEBUG: "border-l-transparent text-slate-400",
};

/** "2026-11-23 10:00:01.123" from the kubelet's RFC3339Nano; the full value stays in the title. */
function shortTimestamp(ts: string): string {
  return `${ts.slice(0, 10)} ${ts.slice(11, 23)}`;
}

/** Pod names end in the ReplicaSet hash and a suffix; those tell pods of one tenant apart. */
function shortPod(pod: string): string {
  const parts = pod.split("-");
  return parts.length > 2 ? parts.slice(-2).join("-") : pod;
}

export interface LogLineRowProps {
  line: BufferedLine;
  showTimestamp: boolean;
  showSource: boolean;
  wrap: boolean;
  matcher: LineMatcher;
  current: boolean;
}

/**
 * One log line. Every piece of log text becomes a React text node inside a styled span: markup in
 * a log line is shown as characters, never parsed.
 */
export const LogLineRow = memo(function LogLineRow({ line, showTimestamp, showSource, wrap, matcher, current }: LogLineRowProps) {
  const level = filterLevelOf(line.effectiveLevel);
  const ranges = matcher.ok && matcher.active ? matcher.ranges(line.plain) : [];
  const segments = highlightSegments(ansiSegments(line.text), ranges);
  return (
    <div
      data-testid="log-line"
      data-level={level ?? ""}
      data-current-match={current || undefined}
      className={clsx(
        "flex gap-x-3 border-l-2 px-2 leading-5",
        wrap ? "flex-wrap whitespace-pre-wrap [overflow-wrap:anywhere]" : "whitespace-pre",
        level ? LEVEL_STYLE[level] : "border-l-transparent",
        current && "outline outline-1 -outline-offset-1 outline-yellow-300",
      )}
    >
      {showTimestamp && (
        <span className="shrink-0 text-slate-500 tabular-nums" title={line.ts}>
          {shortTimestamp(line.ts)}
        </span>
      )}
      {showSource && (
        <span className="w-40 shrink-0 truncate text-sky-300" title={`${line.pod}/${line.container}`}>
          {shortPod(line.pod)}/{line.container}
        </span>
      )}
      {/* Wrapped on a phone, the text takes its own line under the timestamp and source. */}
      <span className={clsx("min-w-0", wrap && "flex-1 max-sm:basis-full")}>
        {segments.length === 0 || (segments.length === 1 && segments[0].text === "")
          ? "\u00a0"
          : segments.map((segment, index) =>
              segment.highlighted ? (
                <mark key={index} style={segment.style} className="rounded-sm bg-yellow-300 text-slate-950">
                  {segment.text}
                </mark>
              ) : (
                <span key={index} style={segment.style}>
                  {segment.text}
                </span>
              ),
            )}
      </span>
    </div>
  );
});

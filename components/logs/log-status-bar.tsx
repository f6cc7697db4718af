import clsx from "clsx";
import { LiveDataAge } from "@/components/live/live-data-age";
import { Button } from "@/components/ui/button";
import type { LogStreamStatus } from "./log-stream-status";

const DOT: Record<LogStreamStatus["state"], string> = {
  connecting: "bg-slate-400 animate-pulse",
  live: "bg-emerald-500",
  reconnecting: "bg-amber-500 animate-pulse",
  ended: "bg-slate-500",
  error: "bg-red-600",
};

function label(status: LogStreamStatus, previous: boolean): string {
  switch (status.state) {
    case "connecting":
      return "Connecting…";
    case "live":
      return previous ? "Reading the previous container's log" : "Live";
    case "reconnecting":
      return "Reconnecting…";
    case "ended":
      return status.message ?? (previous ? "End of the previous container's log" : "The log stream has ended");
    case "error":
      return status.message ?? "The log stream failed";
  }
}

/** Where the stream stands, in words; a failed stream offers to try again. */
export function LogStatusBar({ status, previous, onRetry }: { status: LogStreamStatus; previous: boolean; onRetry(): void }) {
  return (
    <div
      role={status.state === "error" ? "alert" : "status"}
      data-testid="log-status"
      data-state={status.state}
      className={clsx("flex items-center gap-2", status.state === "error" && "font-medium text-red-800")}
    >
      <span aria-hidden className={clsx("inline-block size-2 rounded-full", DOT[status.state])} />
      <span>{label(status, previous)}</span>
      {status.state === "reconnecting" && status.since !== undefined && (
        <span className="text-xs text-slate-600">
          · <LiveDataAge since={status.since} />
        </span>
      )}
      {/* A merged view stays live when one of its containers ends; the server names it here. */}
      {(status.state === "reconnecting" || status.state === "live") && status.message && (
        <span className="max-w-md truncate text-xs text-slate-500" title={status.message}>
          ({status.message})
        </span>
      )}
      {status.state === "error" && (
        <Button size="sm" onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}

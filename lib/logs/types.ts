/** The log viewer's wire types (shared by the tRPC router, the download route and the UI). */

export const LOG_LEVELS = ["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogLine {
  /** Stable cursor, unique per line: `${ts}#${pod}/${container}#${n}`, n = index among the container's lines with this exact ts. */
  id: string;
  /** RFC3339Nano timestamp as the kubelet wrote it. */
  ts: string;
  pod: string;
  container: string;
  /** The raw line without the timestamp prefix (may contain ANSI escapes). */
  text: string;
  level?: LogLevel;
}

export type LogStreamState = "connecting" | "live" | "reconnecting" | "ended" | "error";

export type LogStreamEvent = { type: "lines"; lines: LogLine[] } | { type: "status"; state: LogStreamState; message?: string };

export interface LogTargetContainer {
  name: string;
  init: boolean;
  /** An init container that keeps running beside the containers (restartPolicy Always); set only then. */
  sidecar?: boolean;
  restartCount: number;
  state: string;
  hasPrevious: boolean;
  lastTermination?: { reason?: string; exitCode?: number; finishedAt?: string };
}

export interface LogTarget {
  pod: string;
  phase: string;
  containers: LogTargetContainer[];
}

/** What to read from one container (the kubelet's PodLogOptions we use). */
export interface LogReadOptions {
  previous?: boolean;
  /** Undefined = everything (still capped by the reader). */
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
}

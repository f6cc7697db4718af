// Mirrors server/logs/types.ts from the logs contract until that file lands; then this re-exports it.
export type LogLevel = "CRITICAL" | "ERROR" | "WARNING" | "INFO" | "DEBUG";

export interface LogLine {
  id: string;
  ts: string;
  pod: string;
  container: string;
  text: string;
  level?: LogLevel;
}

export type LogStreamState = "connecting" | "live" | "reconnecting" | "ended" | "error";

export type LogStreamEvent =
  | { type: "lines"; lines: LogLine[] }
  | { type: "status"; state: LogStreamState; message?: string };

export interface LogTarget {
  pod: string;
  phase: string;
  containers: {
    name: string;
    init: boolean;
    restartCount: number;
    state: string;
    hasPrevious: boolean;
    lastTermination?: { reason?: string; exitCode?: number; finishedAt?: string };
  }[];
}

import type { LiveStatus } from "@/components/live/live-connection";
import type { LogStreamState } from "./log-types";

export interface LogStreamStatus {
  state: LogStreamState;
  message?: string;
  /** While reconnecting: since when no line has arrived live (ms since epoch). */
  since?: number;
}

/**
 * What the status bar says: the stream's own state, unless this browser stopped hearing it (it
 * went offline, or the link is dialling again). A finished or failed stream says so regardless,
 * and so does one just opening for another source while the browser is online.
 */
export function shownLogStatus(stream: LogStreamStatus, connection: LiveStatus): LogStreamStatus {
  if (stream.state === "ended" || stream.state === "error" || connection.state !== "reconnecting") return stream;
  if (stream.state === "connecting" && !connection.offline) return stream;
  return { state: "reconnecting", since: connection.since, message: connection.offline ? "this browser is offline" : stream.message };
}

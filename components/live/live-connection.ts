/**
 * What a live page knows about its update stream: whether the browser is online, whether the
 * stream is open, and since when the page has not been hearing it. Pure, so the rules are tested
 * without a browser; use-live-connection.ts feeds it the browser's and the subscription's events.
 */
export interface LiveConnection {
  online: boolean;
  streamOpen: boolean;
  /** The stream was open at least once; before that the page is connecting, not reconnecting. */
  wasOpen: boolean;
  /** When the page stopped hearing live updates (ms since epoch): what it shows is from then. */
  lostAt?: number;
}

export type LiveConnectionEvent = { type: "stream"; open: boolean; at: number } | { type: "network"; online: boolean; at: number };

export type LiveStatus = { state: "connecting" } | { state: "live" } | { state: "reconnecting"; since: number; offline: boolean };

export const initialLiveConnection: LiveConnection = { online: true, streamOpen: false, wasOpen: false };

export function reduceLiveConnection(connection: LiveConnection, event: LiveConnectionEvent): LiveConnection {
  const next =
    event.type === "stream" ? { ...connection, streamOpen: event.open, wasOpen: connection.wasOpen || event.open } : { ...connection, online: event.online };
  const live = next.online && next.streamOpen;
  // An offline browser hears nothing, whatever the stream last said; a stream that never opened
  // while online is still connecting for the first time.
  const lost = !live && (next.wasOpen || !next.online);
  return { ...next, lostAt: lost ? (connection.lostAt ?? event.at) : undefined };
}

export function liveStatusOf(connection: LiveConnection): LiveStatus {
  if (connection.online && connection.streamOpen) return { state: "live" };
  if (connection.lostAt !== undefined) return { state: "reconnecting", since: connection.lostAt, offline: !connection.online };
  return { state: "connecting" };
}

/** Live again after a loss: whatever changed meanwhile was not pushed, so the page reads it again. */
export function isResumed(previous: LiveConnection, next: LiveConnection): boolean {
  return previous.lostAt !== undefined && liveStatusOf(next).state === "live";
}

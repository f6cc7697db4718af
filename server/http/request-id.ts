import "server-only";

import { randomUUID } from "node:crypto";

/** The header that carries a request's id: from a proxy in front (when well-formed), else made here. */
export const REQUEST_ID_HEADER = "x-request-id";

const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The id of one request, the same in its audit rows, its server log lines and an error answer, so
 * "request id 3f2a…" in a user's screenshot finds the log line. An id a proxy or load balancer
 * already gave the request is kept (when it looks like one); otherwise a new one is made.
 */
export function requestIdOf(headers: Headers | undefined): string {
  const given = headers?.get(REQUEST_ID_HEADER);
  return given && WELL_FORMED.test(given) ? given : randomUUID();
}

/** `headers` with the request id set, so everything that reads the headers later sees the same id. */
export function withRequestId(headers: Headers, requestId: string): Headers {
  const copy = new Headers(headers);
  copy.set(REQUEST_ID_HEADER, requestId);
  return copy;
}

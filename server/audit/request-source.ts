import "server-only";

import type { AuditSource } from "@/server/audit/audit-log";
import { env } from "@/server/env";
import { clientAddress, TrustedProxies } from "@/server/http/client-address";
import { REQUEST_ID_HEADER } from "@/server/http/request-id";

/** Long enough for any real browser's; a made-up one cannot bloat the log. */
const USER_AGENT_MAX = 512;

const trustedProxies = new TrustedProxies(env.TRUSTED_PROXIES);

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/**
 * The client address and user agent of a request, for its audit row, its session row and the
 * sign-in throttle: the TCP peer, or behind a proxy in TRUSTED_PROXIES the client it saw
 * (server/http/client-address.ts), so a sign-in and a denied call from one client show the same
 * address. The user agent is whatever the client sent.
 */
export function auditSourceOf(headers: HeaderSource | undefined): AuditSource {
  const agent = headers instanceof Headers ? headers.get("user-agent") : headers?.["user-agent"];
  const userAgent = (Array.isArray(agent) ? agent[0] : agent)?.slice(0, USER_AGENT_MAX) || undefined;
  const id = headers instanceof Headers ? headers.get(REQUEST_ID_HEADER) : headers?.[REQUEST_ID_HEADER];
  const requestId = (Array.isArray(id) ? id[0] : id) || undefined;
  return { address: clientAddress(headers, trustedProxies), userAgent, ...(requestId ? { requestId } : {}) };
}

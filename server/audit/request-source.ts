import "server-only";

import type { AuditSource } from "@/server/audit/audit-log";

/** Long enough for any real browser's; a made-up one cannot bloat the log. */
const USER_AGENT_MAX = 512;

/**
 * The client address and user agent of a request, for its audit row. The address is the first
 * X-Forwarded-For hop, else X-Real-IP: the same reading as the sign-in throttle's (server/auth/options.ts),
 * so a sign-in and a denied call from one client show the same address. Both can be forged unless
 * the proxy in front overwrites them; the row records what the portal saw.
 */
export function auditSourceOf(headers: Headers): AuditSource {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const address = forwarded || headers.get("x-real-ip")?.trim() || undefined;
  const userAgent = headers.get("user-agent")?.slice(0, USER_AGENT_MAX) || undefined;
  return { address, userAgent };
}

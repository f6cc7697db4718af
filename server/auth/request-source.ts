import "server-only";

import type { AuditSource } from "@/server/audit/audit-log";
import { clientAddress } from "@/server/http/client-address";
import { runtime } from "@/server/runtime";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/** Where a request came from, as audit entries and session rows record it (TRUSTED_PROXIES-aware). */
export function requestSource(headers: HeaderSource | undefined): AuditSource {
  const agent = headers instanceof Headers ? headers.get("user-agent") : headers?.["user-agent"];
  return {
    address: clientAddress(headers, runtime().trustedProxies),
    userAgent: (Array.isArray(agent) ? agent[0] : agent) ?? undefined,
  };
}

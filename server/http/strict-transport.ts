import "server-only";

import { env } from "@/server/env";

/**
 * HSTS only when the portal's public URL is https: sent over plain http (the demo, a loopback
 * test) it would be ignored at best and pin a developer's browser at worst. No includeSubDomains:
 * the portal cannot know what else runs under its parent domain.
 */
export function strictTransportSecurity(publicUrl: string | undefined): string | undefined {
  return publicUrl?.startsWith("https://") ? "max-age=31536000" : undefined;
}

export const STRICT_TRANSPORT_SECURITY = strictTransportSecurity(env.NEXTAUTH_URL);

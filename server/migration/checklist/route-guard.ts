import "server-only";

import { can } from "@/lib/auth/permissions";
import { recordDenial } from "@/server/audit/denials";
import { getSessionFromHeaders, type AppSession } from "@/server/auth/session";
import type { PrismaClient } from "@/server/db/generated/client";

export function plainText(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

/**
 * The checks of the checklist's download routes: signed in, migration:read, and started from the
 * portal itself (a link on another site must not make a signed-in browser fetch the file), the
 * refusals recorded the way the audit export records them. Returns the user, or the refusal to send.
 */
export async function guardChecklistDownload(
  db: PrismaClient,
  request: Request,
  route: string,
  crossSiteMessage: string,
): Promise<{ user: AppSession["user"] } | { refusal: Response }> {
  const session = await getSessionFromHeaders(request.headers);
  if (!session) return { refusal: plainText(401, "Sign in to continue.") };
  const { user } = session;
  if (!can(user.role, "migration:read")) {
    await recordDenial(db, {
      user,
      action: "route.call",
      targetKind: "route",
      targetId: route,
      details: { permission: "migration:read", role: user.role },
      headers: request.headers,
    });
    return { refusal: plainText(403, `The ${user.role} role does not have the migration:read permission.`) };
  }
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    await recordDenial(db, {
      user,
      action: "route.call",
      targetKind: "route",
      targetId: route,
      details: { reason: `cross-site request (Sec-Fetch-Site: ${site})` },
      headers: request.headers,
    });
    return { refusal: plainText(403, crossSiteMessage) };
  }
  return { user };
}

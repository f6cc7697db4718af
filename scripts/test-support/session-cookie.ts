// A signed-in browser's session cookie for route tests: a Session row (a token is accepted only
// while its row stands) and the portal's own token encoding. The session-token module is passed
// in because the tests import it after setting the environment it reads. Imported by tests only.
import type { AppSession } from "@/server/auth/session";
import type { PrismaClient } from "@/server/db/generated/client";

type SessionTokens = typeof import("@/server/auth/session-token");

export async function sessionCookieFor(db: PrismaClient, tokens: SessionTokens, session: AppSession): Promise<string> {
  const { SESSION_COOKIE_NAME, encodeRefreshedToken, nowSeconds } = tokens;
  const now = nowSeconds();
  const row = await db.session.create({ data: { userId: session.user.id, expiresAt: new Date((now + 3600) * 1000) } });
  const token = await encodeRefreshedToken(
    { uid: session.user.id, sid: row.id, role: session.user.role, email: session.user.email, name: session.user.name, authTime: now, lastSeen: now },
    now,
  );
  return `${SESSION_COOKIE_NAME}=${token}`;
}

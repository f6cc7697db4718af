import "server-only";

import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";

import { headers } from "next/headers";

import { recordAuditEvent, type AuditSource } from "@/server/audit/audit-log";
import { checkCredentials } from "@/server/auth/credentials";
import { roleFromClaim } from "@/server/auth/oidc-role";
import { signOutSession, startSession } from "@/server/auth/portal-sessions";
import { auditSourceOf } from "@/server/audit/request-source";
import { loadLiveSession } from "@/server/auth/session";
import { claimsFromToken, nowSeconds, SESSION_COOKIE_NAME, SESSION_MAX_AGE_SECONDS, sessionExpiry, useSecureCookies } from "@/server/auth/session-token";
import { env } from "@/server/env";
import { runtime } from "@/server/runtime";

const OIDC_PROVIDER_ID = "oidc";
export const oidcEnabled = env.OIDC !== undefined;

// Without NEXTAUTH_URL next-auth cannot know its own origin; the demo and test runs use changing
// ports, so derive it from the Host header instead. Production deployments set NEXTAUTH_URL.
if (!env.NEXTAUTH_URL) process.env.AUTH_TRUST_HOST ??= "1";

/** Where the auth request (sign-in, sign-out) came from; next-auth's callbacks get no request, so ask Next. */
async function authRequestSource(): Promise<AuditSource> {
  try {
    return auditSourceOf(await headers());
  } catch {
    return {};
  }
}

function oidcProvider(): OAuthConfig<Record<string, unknown>> | null {
  if (!env.OIDC) return null;
  return {
    id: OIDC_PROVIDER_ID,
    name: "Single sign-on",
    type: "oauth",
    wellKnown: `${env.OIDC.issuer}/.well-known/openid-configuration`,
    clientId: env.OIDC.clientId,
    clientSecret: env.OIDC.clientSecret,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    profile(profile) {
      const email = typeof profile.email === "string" ? profile.email : "";
      const name = [profile.name, profile.preferred_username, email].find((v) => typeof v === "string" && v);
      return { id: String(profile.sub), email, name: name as string };
    },
  };
}

/** Creates or updates the portal user for an OIDC sign-in; returns an error code or null. */
async function syncOidcUser(profile: Record<string, unknown>): Promise<string | null> {
  const oidc = env.OIDC;
  if (!oidc) return "Configuration";
  const email = typeof profile.email === "string" ? profile.email.trim().toLowerCase() : "";
  if (!email) return "OidcNoEmail";
  const role = roleFromClaim(profile[oidc.roleClaim], oidc.roleMap);
  if (!role) return "OidcNoRole";
  const name = [profile.name, profile.preferred_username, email].find((v) => typeof v === "string" && v) as string;

  const db = runtime().db;
  const existing = await db.user.findUnique({ where: { email } });
  // A local account with the same email stays separate: linking would let whoever controls the
  // identity provider's email claim take it over.
  if (existing && existing.authProvider !== "oidc") return "OidcAccountConflict";
  if (existing?.disabled) return "AccountDisabled";
  if (!existing) {
    await db.$transaction(async (tx) => {
      const created = await tx.user.create({ data: { email, name, role, authProvider: "oidc" } });
      await recordAuditEvent(tx, { actor: { user: created }, action: "user.create.oidc", targetKind: "user", targetId: created.id, details: { role } });
    });
  } else if (existing.role !== role || existing.name !== name) {
    await db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: existing.id }, data: { role, name } });
      if (existing.role !== role) {
        await recordAuditEvent(tx, {
          actor: { user: existing },
          action: "user.role.change.oidc",
          targetKind: "user",
          targetId: existing.id,
          details: { from: existing.role, to: role },
        });
      }
    });
  }
  return null;
}

const oidc = oidcProvider();

export const authOptions: NextAuthOptions = {
  secret: env.NEXTAUTH_SECRET,
  useSecureCookies,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  cookies: {
    sessionToken: {
      name: SESSION_COOKIE_NAME,
      options: { httpOnly: true, sameSite: "lax", path: "/", secure: useSecureCookies },
    },
  },
  providers: [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      authorize: (credentials, request) => {
        const source = auditSourceOf(request?.headers as Record<string, string> | undefined);
        return checkCredentials(
          runtime().db,
          {
            email: String(credentials?.email ?? ""),
            password: String(credentials?.password ?? ""),
            address: source.address ?? "unknown",
            userAgent: source.userAgent,
          },
          { throttle: runtime().signInThrottle },
        );
      },
    }),
    ...(oidc ? [oidc] : []),
  ],
  events: {
    // A copied cookie must stop working too, so the row ends, not just the browser's cookie.
    async signOut({ token }) {
      const claims = claimsFromToken(token);
      if (claims) await signOutSession(runtime().db, claims.sid, await authRequestSource());
    },
  },
  callbacks: {
    async signIn({ account, profile }) {
      if (account?.provider !== OIDC_PROVIDER_ID) return true;
      const claims = (profile ?? {}) as Record<string, unknown>;
      const problem = await syncOidcUser(claims);
      if (!problem) return true;
      // A refused single sign-on is audited like a refused password: who tried, and why.
      const email = typeof claims.email === "string" && claims.email.trim() ? claims.email.trim().toLowerCase() : undefined;
      await recordAuditEvent(runtime().db, {
        actor: { name: email ?? "(no email claim)" },
        action: "auth.sign-in",
        targetKind: "email",
        targetId: email ?? "",
        details: { provider: "oidc", reason: problem, subject: typeof claims.sub === "string" ? claims.sub : undefined },
        outcome: problem === "Configuration" ? "failure" : "denied",
        source: await authRequestSource(),
      });
      return `/sign-in?error=${problem}`;
    },

    async jwt({ token, user, account }) {
      const now = nowSeconds();
      if (user) {
        const db = runtime().db;
        const record =
          account?.provider === OIDC_PROVIDER_ID
            ? await db.user.findUnique({ where: { email: String(user.email).toLowerCase() } })
            : await db.user.findUnique({ where: { id: user.id } });
        if (!record || record.disabled) throw new Error("sign-in for an unknown or disabled user");
        const provider = account?.provider ?? "credentials";
        const source = await authRequestSource();
        const sid = await db.$transaction((tx) =>
          startSession(tx, { user: record, provider, source, expiresAt: new Date((now + SESSION_MAX_AGE_SECONDS) * 1000) }),
        );
        return {
          ...token,
          sub: record.id,
          uid: record.id,
          sid,
          email: record.email,
          name: record.name,
          role: record.role,
          authTime: now,
          lastSeen: now,
        };
      }
      // Throwing here makes next-auth clear the session cookie.
      const claims = claimsFromToken(token);
      if (!claims) throw new Error("session token without portal claims");
      const expired = sessionExpiry(claims, now);
      if (expired) throw new Error(`session expired (${expired})`);
      const active = await loadLiveSession(claims.sid);
      if (!active || active.id !== claims.uid) throw new Error("session revoked, or its user disabled or removed");
      return { ...token, role: active.role, name: active.name, lastSeen: now };
    },

    session({ session, token }) {
      const claims = claimsFromToken(token);
      return {
        ...session,
        user: claims ? { id: claims.uid, email: claims.email, name: claims.name ?? claims.email, role: claims.role } : session.user,
      };
    },
  },
};

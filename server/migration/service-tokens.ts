import "server-only";

import { createHash, randomBytes } from "node:crypto";

import type { ServiceTokenScope, ServiceTokenStatus, ServiceTokenView } from "@/lib/migration/service-tokens";
import type { CreateServiceTokenInput } from "@/lib/migration/service-token-schemas";
import { createServiceTokenInputSchema } from "@/lib/migration/service-token-schemas";
import { recordAuditEvent, type AuditSource } from "@/server/audit/audit-log";
import type { SessionUser } from "@/server/auth/session";
import type { PrismaClient, ServiceToken } from "@/server/db/generated/client";
import { AppError } from "@/server/errors/app-error";

/**
 * Service tokens for the migration scripts. The secret is 32 random bytes, shown to the admin
 * once; only its SHA-256 is stored (a high-entropy secret needs no slow hash), with the first
 * characters as a prefix to recognise it in lists and audit rows.
 */
const SECRET_PREFIX = "fdt_";
/** "fdt_" and 8 characters of the secret: enough to tell tokens apart, far too few to guess the rest. */
const SHOWN_PREFIX_LENGTH = SECRET_PREFIX.length + 8;
/** A Bearer value longer than this is not one of ours (and is not hashed). */
const MAX_SECRET_LENGTH = 200;
/** lastUsedAt is written at most this often per token, so a busy script does not write on every call. */
const LAST_USED_RESOLUTION_MS = 60_000;

const DAY_MS = 86_400_000;

export function hashServiceTokenSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

function statusOf(token: ServiceToken, now: Date): ServiceTokenStatus {
  if (token.revokedAt) return "revoked";
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}

function toView(token: ServiceToken, now: Date): ServiceTokenView {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    scopes: token.scopes,
    status: statusOf(token, now),
    createdAt: token.createdAt.toISOString(),
    createdByEmail: token.createdByEmail,
    expiresAt: token.expiresAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    revokedByEmail: token.revokedByEmail,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  };
}

export async function listServiceTokens(db: PrismaClient, now = new Date()): Promise<ServiceTokenView[]> {
  const tokens = await db.serviceToken.findMany({ orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }] });
  return tokens.map((token) => toView(token, now));
}

/** Creates a token; the answer holds the secret, which nothing can show again. */
export async function createServiceToken(
  db: PrismaClient,
  actor: SessionUser,
  input: CreateServiceTokenInput,
  source?: AuditSource,
  now = new Date(),
): Promise<{ token: ServiceTokenView; secret: string }> {
  const { name, scopes, expiresInDays } = createServiceTokenInputSchema.parse(input);
  const secret = `${SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
  const expiresAt = expiresInDays ? new Date(now.getTime() + expiresInDays * DAY_MS) : null;
  return db.$transaction(async (tx) => {
    if (await tx.serviceToken.findUnique({ where: { name }, select: { id: true } })) {
      throw new AppError("CONFLICT", { message: `service token ${name} exists`, userMessage: `A token named “${name}” already exists. Choose another name.` });
    }
    const token = await tx.serviceToken.create({
      data: {
        name,
        prefix: secret.slice(0, SHOWN_PREFIX_LENGTH),
        secretHash: hashServiceTokenSecret(secret),
        scopes,
        createdById: actor.id,
        createdByEmail: actor.email,
        createdAt: now,
        expiresAt,
      },
    });
    await recordAuditEvent(tx, {
      actor: { user: actor },
      action: "service-token.create",
      targetKind: "service-token",
      targetId: token.id,
      details: { name, prefix: token.prefix, scopes, expiresAt: expiresAt?.toISOString() ?? null },
      source,
    });
    return { token: toView(token, now), secret };
  });
}

export async function revokeServiceToken(
  db: PrismaClient,
  actor: SessionUser,
  tokenId: string,
  source?: AuditSource,
  now = new Date(),
): Promise<ServiceTokenView> {
  return db.$transaction(async (tx) => {
    const token = await tx.serviceToken.findUnique({ where: { id: tokenId } });
    if (!token) throw new AppError("NOT_FOUND", { message: `service token ${tokenId} not found`, userMessage: "That token no longer exists." });
    if (token.revokedAt) {
      throw new AppError("CONFLICT", {
        message: `service token ${tokenId} already revoked`,
        userMessage: `The token “${token.name}” was already revoked by ${token.revokedByEmail ?? "someone"}.`,
      });
    }
    const revoked = await tx.serviceToken.update({ where: { id: tokenId }, data: { revokedAt: now, revokedByEmail: actor.email } });
    await recordAuditEvent(tx, {
      actor: { user: actor },
      action: "service-token.revoke",
      targetKind: "service-token",
      targetId: token.id,
      details: { name: token.name, prefix: token.prefix },
      source,
    });
    return toView(revoked, now);
  });
}

export type TokenAuthentication =
  | { ok: true; token: Pick<ServiceToken, "id" | "name" | "prefix" | "scopes"> }
  | {
      ok: false;
      /** 401: no usable token; 403: a good token without the scope. */
      status: 401 | 403;
      reason: "missing" | "malformed" | "unknown" | "revoked" | "expired" | "scope";
      message: string;
      /** The token, when the secret named one (revoked, expired, lacking the scope). */
      token?: Pick<ServiceToken, "id" | "name" | "prefix">;
    };

/**
 * Checks an `Authorization: Bearer <secret>` header for a token with `scope`. On success the
 * token's lastUsedAt moves (at most once a minute).
 */
export async function authenticateServiceToken(
  db: PrismaClient,
  authorization: string | null,
  scope: ServiceTokenScope,
  now = new Date(),
): Promise<TokenAuthentication> {
  if (!authorization?.trim()) {
    return {
      ok: false,
      status: 401,
      reason: "missing",
      message: "Send a service token: Authorization: Bearer <token> (an admin creates one on the Tokens page).",
    };
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim());
  if (!match || match[1]!.length > MAX_SECRET_LENGTH) {
    return { ok: false, status: 401, reason: "malformed", message: "The Authorization header must be “Bearer <token>”." };
  }
  const token = await db.serviceToken.findUnique({ where: { secretHash: hashServiceTokenSecret(match[1]!) } });
  if (!token) return { ok: false, status: 401, reason: "unknown", message: "This service token is not known. Ask an admin for a valid token." };
  const named = { id: token.id, name: token.name, prefix: token.prefix };
  if (token.revokedAt) {
    return { ok: false, status: 401, reason: "revoked", message: `The service token “${token.name}” (${token.prefix}…) was revoked.`, token: named };
  }
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) {
    return {
      ok: false,
      status: 401,
      reason: "expired",
      message: `The service token “${token.name}” (${token.prefix}…) expired on ${token.expiresAt.toISOString()}.`,
      token: named,
    };
  }
  if (!token.scopes.includes(scope)) {
    return { ok: false, status: 403, reason: "scope", message: `The service token “${token.name}” does not have the ${scope} scope.`, token: named };
  }
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db.serviceToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }
  return { ok: true, token: { ...named, scopes: token.scopes } };
}

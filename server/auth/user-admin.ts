import "server-only";

import { recordAuditEvent } from "@/server/audit/audit-log";
import { hashPassword } from "@/server/auth/password";
import { revokeUserSessionsIn } from "@/server/auth/portal-sessions";
import type { Role } from "@/lib/auth/permissions";
import { forgetCachedUser, type SessionUser } from "@/server/auth/session";
import type { PrismaClient } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";

type Db = PrismaClient;
type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export interface UserListItem {
  id: string;
  email: string;
  name: string;
  role: Role;
  authProvider: "local" | "oidc";
  disabled: boolean;
  createdAt: Date;
}

const listSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  authProvider: true,
  disabled: true,
  createdAt: true,
} as const;

export async function listUsers(db: Db): Promise<UserListItem[]> {
  const users = await db.user.findMany({ select: listSelect, orderBy: { email: "asc" } });
  return users as UserListItem[];
}

function audit(tx: Tx, actor: SessionUser, action: string, targetId: string, details: Record<string, unknown>) {
  return recordAuditEvent(tx, { actor: { user: actor }, action, targetKind: "user", targetId, details });
}

async function findUserOrThrow(tx: Tx, userId: string) {
  const user = await tx.user.findUnique({ where: { id: userId } });
  if (!user) throw new AppError("NOT_FOUND", { message: `user ${userId} not found`, userMessage: "That user no longer exists." });
  return user;
}

/** Refuses changes that would leave nobody able to manage users. */
async function assertAnotherActiveAdmin(tx: Tx, exceptUserId: string) {
  const others = await tx.user.count({ where: { role: "admin", disabled: false, id: { not: exceptUserId } } });
  if (others === 0) {
    throw new AppError("CONFLICT", {
      message: "last active admin",
      userMessage: "This is the last active admin. Make another user admin first.",
    });
  }
}

export async function createLocalUser(db: Db, actor: SessionUser, input: { email: string; name: string; role: Role; password: string }): Promise<UserListItem> {
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email }, select: { id: true } });
    if (existing) {
      throw new AppError("CONFLICT", { message: `user ${email} exists`, userMessage: `A user with the email ${email} already exists.` });
    }
    const user = await tx.user.create({
      data: { email, name: input.name.trim(), role: input.role, passwordHash, authProvider: "local" },
      select: listSelect,
    });
    await audit(tx, actor, "user.create", user.id, { email, role: input.role });
    return user as UserListItem;
  });
}

export async function setUserRole(db: Db, actor: SessionUser, input: { userId: string; role: Role }): Promise<UserListItem> {
  if (input.userId === actor.id && input.role !== "admin") {
    throw new AppError("FORBIDDEN", {
      message: "admin tried to drop own admin role",
      userMessage: "You cannot remove your own admin role. Ask another admin.",
    });
  }
  const updated = await db.$transaction(async (tx) => {
    const user = await findUserOrThrow(tx, input.userId);
    if (user.role === input.role) return tx.user.findUniqueOrThrow({ where: { id: user.id }, select: listSelect });
    if (user.role === "admin" && !user.disabled) await assertAnotherActiveAdmin(tx, user.id);
    const result = await tx.user.update({ where: { id: user.id }, data: { role: input.role }, select: listSelect });
    await audit(tx, actor, "user.role.change", user.id, { email: user.email, from: user.role, to: input.role });
    return result;
  });
  forgetCachedUser(input.userId);
  return updated as UserListItem;
}

export async function setUserDisabled(db: Db, actor: SessionUser, input: { userId: string; disabled: boolean }): Promise<UserListItem> {
  if (input.userId === actor.id && input.disabled) {
    throw new AppError("FORBIDDEN", { message: "admin tried to disable self", userMessage: "You cannot disable your own account." });
  }
  const updated = await db.$transaction(async (tx) => {
    const user = await findUserOrThrow(tx, input.userId);
    if (input.disabled && user.role === "admin" && !user.disabled) await assertAnotherActiveAdmin(tx, user.id);
    const result = await tx.user.update({ where: { id: user.id }, data: { disabled: input.disabled }, select: listSelect });
    await audit(tx, actor, input.disabled ? "user.disable" : "user.enable", user.id, { email: user.email });
    if (input.disabled) await revokeUserSessionsIn(tx, { userId: user.id, actor, reason: "user-disabled" });
    return result;
  });
  forgetCachedUser(input.userId);
  return updated as UserListItem;
}

export async function resetUserPassword(db: Db, actor: SessionUser, input: { userId: string; password: string }): Promise<UserListItem> {
  const passwordHash = await hashPassword(input.password);
  const updated = await db.$transaction(async (tx) => {
    const user = await findUserOrThrow(tx, input.userId);
    if (user.authProvider !== "local") {
      throw new AppError("BAD_REQUEST", {
        message: "password reset for oidc user",
        userMessage: "This user signs in through single sign-on; their password is managed there.",
      });
    }
    const result = await tx.user.update({ where: { id: user.id }, data: { passwordHash }, select: listSelect });
    // Never the password or its hash: the audit log is readable by operators.
    await audit(tx, actor, "user.password.reset", user.id, { email: user.email });
    // Whoever knew the old password may hold a session opened with it.
    await revokeUserSessionsIn(tx, { userId: user.id, actor, reason: "password-reset" });
    return result;
  });
  forgetCachedUser(input.userId);
  return updated as UserListItem;
}

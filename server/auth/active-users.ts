import "server-only";

import type { PrismaClient } from "@/server/db/client";
import { ROLES, type Role } from "@/lib/auth/permissions";
import type { SessionUser } from "./session";

const USER_CACHE_MS = 5_000;
const MAX_CACHED_USERS = 5_000;

/**
 * The token says who signed in; the database says whether they may still act and with which
 * role. A short cache keeps that lookup off the hot path of every tRPC call while role changes
 * and disabling still take effect within seconds (user-admin mutations drop the entry at once).
 * One per process (runtime.ts), so the entry a mutation drops is the one every bundle reads.
 */
export class ActiveUsers {
  private readonly cache = new Map<string, { at: number; user: SessionUser | null }>();

  /** The user behind `userId`, or null when disabled, removed or of an unknown role. */
  async load(db: PrismaClient, userId: string, now = Date.now()): Promise<SessionUser | null> {
    const cached = this.cache.get(userId);
    if (cached && now - cached.at < USER_CACHE_MS) return cached.user;
    const record = await db.user.findUnique({
      where: { id: userId },
      select: { id: true, email: true, name: true, role: true, disabled: true },
    });
    const user =
      record && !record.disabled && (ROLES as readonly string[]).includes(record.role)
        ? { id: record.id, email: record.email, name: record.name, role: record.role as Role }
        : null;
    this.cache.set(userId, { at: now, user });
    if (this.cache.size > MAX_CACHED_USERS) this.cache.delete(this.cache.keys().next().value as string);
    return user;
  }

  forget(userId: string): void {
    this.cache.delete(userId);
  }
}

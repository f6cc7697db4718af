import "server-only";

import type { PrismaClient, Tenant } from "@/server/db/generated/client";

/** A tenant as the registry (the instance service's export) records it. */
export type RegistryTenant = Tenant;

/** Every registry row, optionally of one cluster, in a stable order (database name). */
export function listRegistryTenants(db: PrismaClient, options: { cluster?: string } = {}): Promise<RegistryTenant[]> {
  return db.tenant.findMany({
    where: options.cluster ? { cluster: options.cluster } : undefined,
    orderBy: { databaseName: "asc" },
  });
}

/** One registry row by instance id; null when the registry does not know it. */
export async function getRegistryTenant(db: PrismaClient, id: string): Promise<RegistryTenant | null> {
  // A malformed id can never match, and PostgreSQL would reject it as a uuid.
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  return db.tenant.findUnique({ where: { id: id.toLowerCase() } });
}


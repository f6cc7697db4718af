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

/**
 * The registry's row count and newest change, as one string: it moves with every insert, update
 * and delete (a delete lowers the count; an insert or update raises the newest updatedAt), so a
 * process can tell cheaply that another one wrote the registry.
 */
export async function registryFingerprint(db: PrismaClient): Promise<string> {
  const { _count, _max } = await db.tenant.aggregate({ _count: { _all: true }, _max: { updatedAt: true } });
  return `${_count._all}@${_max.updatedAt?.toISOString() ?? "-"}`;
}

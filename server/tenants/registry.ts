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

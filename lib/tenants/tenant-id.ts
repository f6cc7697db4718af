import { z } from "zod";

/**
 * A tenant is named by its instance UUID, in the canonical 8-4-4-4-12 form the registry stores
 * (the instance service's `saasodoo.instance.id` label). The same rule holds for every input that
 * names a tenant: routers, URL params, the log download, the registry import.
 */
export const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const EXAMPLE_TENANT_ID = "3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f";

/** Trimmed and lower-cased, as the registry keeps it. */
export const tenantIdSchema = z
  .string({ error: "Tenant id is required" })
  .trim()
  .regex(CANONICAL_UUID, `Tenant id must be an instance UUID such as ${EXAMPLE_TENANT_ID}`)
  .transform((id) => id.toLowerCase());

export type TenantId = z.output<typeof tenantIdSchema>;

export function isTenantId(value: string): boolean {
  return CANONICAL_UUID.test(value);
}

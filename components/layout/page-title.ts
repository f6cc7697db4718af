import type { HealthState } from "@/lib/tenants/types";
import { HEALTH_STYLE } from "@/components/tenants/health-style";

/** A tab title: what is open, most specific first, then the portal's name. */
export function pageTitle(...parts: string[]): string {
  return [...parts.filter((part) => part !== ""), "Fleetdeck"].join(" · ");
}

/** "odoo-brightpath-logistics-a7bc3459 · Down · Fleetdeck": the tenant and its health, live. */
export function tenantPageTitle(tenant: { name: string; health: HealthState }): string {
  return pageTitle(tenant.name, HEALTH_STYLE[tenant.health]?.label ?? tenant.health);
}

/** "Logs · brightpath-logistics · Fleetdeck": the database name is what operators call a tenant. */
export function logsPageTitle(tenant: { databaseName: string } | undefined): string {
  return tenant ? pageTitle("Logs", tenant.databaseName) : pageTitle("Logs");
}

/** "(3) Fleet · Fleetdeck": the count of problems needing attention, so a background tab shows it. */
export function fleetPageTitle(problems: number | undefined): string {
  const title = pageTitle("Fleet");
  return problems ? `(${problems.toLocaleString("en-US")}) ${title}` : title;
}

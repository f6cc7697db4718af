import "server-only";

import type { GateResultView } from "@/lib/migration/gates";
import type { TenantDirectory } from "@/server/tenants/tenant-view";
import type { GateMonitor } from "./gate-monitor";

/**
 * The gates as the router serves them. The first request after start-up waits briefly for the
 * registry, the cache and the database side, so it does not show every gate "unknown" needlessly.
 */
export async function listGateResults(monitor: GateMonitor, directory: TenantDirectory): Promise<{ gates: GateResultView[]; version: number }> {
  try {
    await directory.ready({ warmTimeoutMs: 5_000 });
  } catch {
    // The registry cannot be read: the gates say "unknown" themselves.
  }
  await monitor.ready();
  return { gates: monitor.results(), version: monitor.version };
}

import Link from "next/link";

import { CopyButton } from "@/components/ui/copy-button";
import { buttonClassName } from "@/components/ui/button";
import type { TenantDetail } from "@/lib/tenants/types";
import { HealthBadge } from "../health-badge";
import { formatClock } from "../time-format";

/** `actions`: the runbooks menu (it renders nothing for roles that may not run runbooks). */
export function TenantHeader({ tenant, canReadLogs = false, actions }: { tenant: TenantDetail; canReadLogs?: boolean; actions?: React.ReactNode }) {
  /** [term, value, full text for the tooltip, text a Copy button puts on the clipboard] */
  const facts: [string, React.ReactNode, string?, string?][] = [
    [
      "Database",
      <span key="db" className="font-mono">
        {tenant.databaseName}
      </span>,
      tenant.databaseName,
      tenant.databaseName,
    ],
    [
      "Instance type",
      <span key="type" className="capitalize">
        {tenant.instanceType}
      </span>,
    ],
    ["Odoo", tenant.odooVersion],
    [
      "Cluster",
      <span key="cluster" className="font-mono" data-testid="tenant-cluster">
        {tenant.cluster}
      </span>,
      tenant.cluster,
    ],
    [
      "Billing",
      <span key="billing" className="capitalize">
        {tenant.billingStatus}
      </span>,
    ],
    [
      "Customer",
      tenant.customerEmail || tenant.customerId,
      `${tenant.customerEmail} (customer ${tenant.customerId})`,
      tenant.customerEmail || tenant.customerId,
    ],
    [
      "Instance id",
      <span key="id" className="font-mono text-xs">
        {tenant.id}
      </span>,
      tenant.id,
      tenant.id,
    ],
  ];
  return (
    <header className="space-y-3">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/tenants" className="text-blue-700 hover:underline">
          ← Tenants
        </Link>
      </nav>
      <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="min-w-0 text-xl font-semibold text-slate-900">{tenant.name}</h1>
          <div data-testid="tenant-health" data-health={tenant.health} className="flex flex-wrap items-center gap-2">
            <HealthBadge health={tenant.health} />
            <span className="text-sm text-slate-700">{tenant.healthReason}</span>
          </div>
          <div className="ml-auto flex items-center gap-2">
            {/* Only where a pod exists: a stopped or missing instance has no log to show. */}
            {canReadLogs && tenant.pods.length > 0 && (
              <Link
                href={`/tenants/${tenant.id}/logs`}
                data-testid="tenant-logs-link"
                className={buttonClassName({ size: "sm" })}
                title="All pods and containers of this tenant, interleaved by time"
              >
                Logs
              </Link>
            )}
            {actions}
          </div>
        </div>
        {tenant.stale && (
          <p
            data-testid="tenant-stale"
            role="status"
            className="mt-2 rounded-md bg-amber-50 px-3 py-1.5 text-sm text-amber-900 ring-1 ring-inset ring-amber-300"
          >
            Cluster <span className="font-mono">{tenant.cluster}</span> cannot be watched
            {tenant.stale.since ? ` since ${formatClock(tenant.stale.since)}` : ""}
            {tenant.stale.error ? `: ${tenant.stale.error}` : ""}. This is the tenant&apos;s last known state.
          </p>
        )}
        <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4 lg:grid-cols-7">
          {facts.map(([term, value, full, copy]) => (
            <div key={term} className="min-w-0">
              <dt className="text-xs text-slate-500">{term}</dt>
              <dd className="flex min-w-0 items-center gap-1.5 text-slate-900" title={full}>
                <span className="min-w-0 truncate">{value}</span>
                {copy ? (
                  <CopyButton
                    text={copy}
                    label={`Copy the ${term.toLowerCase()}`}
                    className="shrink-0"
                    data-testid={`copy-${term.toLowerCase().replace(" ", "-")}`}
                  />
                ) : null}
              </dd>
            </div>
          ))}
        </dl>
      </div>
    </header>
  );
}

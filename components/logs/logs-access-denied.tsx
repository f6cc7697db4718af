import Link from "next/link";

/** Logs can hold customer data, so they have their own permission; say so plainly instead of an empty viewer. */
export function LogsAccessDenied({ tenantId }: { tenantId: string }) {
  return (
    <div className="max-w-xl space-y-3" data-testid="logs-access-denied">
      <h1 className="text-xl font-semibold">Logs</h1>
      <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
        <p className="font-medium">You do not have access to logs.</p>
        <p className="mt-0.5">
          Pod logs can contain customer data, so only operators and administrators can read them. Ask an administrator if you need
          access.
        </p>
      </div>
      <Link href={`/tenants/${tenantId}`} className="inline-block text-sm font-medium text-blue-700 hover:underline">
        ← Back to the tenant
      </Link>
    </div>
  );
}

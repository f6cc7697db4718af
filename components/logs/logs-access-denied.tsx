import Link from "next/link";
import { Alert } from "@/components/ui/alert";

/** Logs can hold customer data, so they have their own permission; say so plainly instead of an empty viewer. */
export function LogsAccessDenied({ tenantId }: { tenantId: string }) {
  return (
    <div className="max-w-xl space-y-3" data-testid="logs-access-denied">
      <h1 className="text-xl font-semibold">Logs</h1>
      <Alert tone="warning" title="You do not have access to logs.">
        Pod logs can contain customer data, so only operators and administrators can read them. Ask an administrator if you need access.
      </Alert>
      <Link href={`/tenants/${tenantId}`} className="inline-block text-sm font-medium text-blue-700 hover:underline">
        ← Back to the tenant
      </Link>
    </div>
  );
}

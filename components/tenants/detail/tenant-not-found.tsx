import Link from "next/link";

export function TenantNotFound({ id }: { id: string }) {
  return (
    <div role="alert" data-testid="tenant-not-found" className="rounded-xl border border-slate-200 bg-white p-10 text-center">
      <h1 className="text-lg font-semibold text-slate-900">No tenant with this id</h1>
      <p className="mt-1 text-sm text-slate-600">
        <span className="font-mono">{id}</span> is not in the registry or the cluster. It may have been deleted, or the link is wrong.
      </p>
      <Link href="/tenants" className="mt-4 inline-block text-sm font-medium text-blue-700 hover:underline">
        ← Back to all tenants
      </Link>
    </div>
  );
}

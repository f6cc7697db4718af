import Link from "next/link";

export function RunNotFound({ id, what = "runbook run" }: { id: string; what?: string }) {
  return (
    <div role="alert" data-testid="run-not-found" className="rounded-xl border border-slate-200 bg-white p-10 text-center">
      <h1 className="text-lg font-semibold text-slate-900">No {what === "runbook run" ? "run" : what} with this id</h1>
      <p className="mt-1 text-sm break-all text-slate-600">
        <span className="font-mono">{id}</span> names no {what}. The link may be wrong.
      </p>
      <Link href="/runs" className="mt-4 inline-block text-sm font-medium text-blue-700 hover:underline">
        ← Back to all runs
      </Link>
    </div>
  );
}

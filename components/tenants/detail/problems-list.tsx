import type { Problem } from "@/lib/tenants/types";
import { RelativeTime } from "../relative-time";
import { SeverityBadge } from "../severity-badge";

export function ProblemsList({ problems }: { problems: Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <section aria-labelledby="tenant-problems" data-testid="tenant-problems" className="rounded-xl border border-red-200 bg-red-50/40 p-4">
      <h2 id="tenant-problems" className="mb-2 text-sm font-semibold text-slate-900">
        Problems ({problems.length})
      </h2>
      <ul className="space-y-2">
        {problems.map((problem, index) => (
          <li key={`${problem.kind}-${problem.objectRef?.name ?? index}`} className="flex flex-wrap items-start gap-2 text-sm">
            <SeverityBadge severity={problem.severity} />
            <div className="min-w-0 flex-1">
              <p className="font-medium text-slate-900">{problem.title}</p>
              {problem.detail && <p className="text-slate-600">{problem.detail}</p>}
            </div>
            {problem.since && (
              <span className="whitespace-nowrap text-xs text-slate-500">
                since <RelativeTime iso={problem.since} />
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

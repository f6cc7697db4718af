import Link from "next/link";
import type { OrphanWorkload } from "@/lib/tenants/types";
import { orphanHref } from "@/components/orphans/orphan-href";

/** Orphans the search or the "Orphan workload" filter found: not tenants, so not rows of the table. */
export function OrphanMatches({ orphans }: { orphans: OrphanWorkload[] }) {
  return (
    <section aria-labelledby="orphan-matches-heading" data-testid="orphan-matches" className="rounded-xl border border-amber-200 bg-amber-50/60 p-3">
      <h2 id="orphan-matches-heading" className="text-sm font-semibold text-slate-900">
        Orphan workloads ({orphans.length})<span className="ml-2 font-normal text-slate-600">labelled as a tenant the registry does not know</span>
      </h2>
      <ul className="mt-2 space-y-1 text-sm">
        {orphans.map((orphan) => (
          <li key={`${orphan.namespace}/${orphan.kind}/${orphan.name}`} className="flex flex-wrap items-baseline gap-x-2">
            <Link href={orphanHref(orphan.instanceId)} className="break-all font-mono text-xs font-medium text-blue-700 hover:underline">
              {orphan.name}
            </Link>
            <span className="text-xs text-slate-600">
              {orphan.kind} in <span className="font-mono">{orphan.namespace}</span> · instance id{" "}
              <span className="font-mono">{orphan.instanceId.slice(0, 8)}…</span>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

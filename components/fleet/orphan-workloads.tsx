import type { OrphanWorkload } from "@/server/tenants/types";
import { RelativeTime } from "@/components/tenants/relative-time";

/** Workloads labelled as a tenant that the registry does not know: candidates for clean-up. */
export function OrphanWorkloads({ orphans }: { orphans: OrphanWorkload[] }) {
  if (orphans.length === 0) {
    return (
      <p data-testid="orphan-workloads" className="text-sm text-slate-600">
        Every tenant workload matches a registry record.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table data-testid="orphan-workloads" className="w-full text-left text-sm">
        <caption className="sr-only">Workloads carrying a tenant label that matches no registry record</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">Workload</th>
            <th scope="col" className="px-3 py-2 font-medium">Namespace</th>
            <th scope="col" className="px-3 py-2 font-medium">Instance id</th>
            <th scope="col" className="px-3 py-2 font-medium">Since</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {orphans.map((orphan) => (
            <tr key={`${orphan.namespace}/${orphan.kind}/${orphan.name}`}>
              <td className="px-3 py-2">
                <span className="text-xs text-slate-500">{orphan.kind}/</span>
                <span className="font-mono text-xs">{orphan.name}</span>
              </td>
              <td className="px-3 py-2 font-mono text-xs">{orphan.namespace}</td>
              <td className="px-3 py-2 font-mono text-xs" title={orphan.instanceId}>
                {orphan.instanceId.slice(0, 8)}…
              </td>
              <td className="whitespace-nowrap px-3 py-2 text-slate-600">
                <RelativeTime iso={orphan.since} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

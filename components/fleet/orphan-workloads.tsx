import Link from "next/link";
import { orphanHref } from "@/components/orphans/orphan-href";
import { ClusterBadge } from "./cluster-badge";
import type { OrphanWorkload } from "@/lib/tenants/types";
import { RelativeTime } from "@/components/tenants/relative-time";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table";

/** Workloads labelled as a tenant that the registry does not know: candidates for clean-up. */
export function OrphanWorkloads({ orphans, showCluster = false }: { orphans: OrphanWorkload[]; showCluster?: boolean }) {
  if (orphans.length === 0) {
    return (
      <p data-testid="orphan-workloads" className="text-sm text-slate-600">
        Every tenant workload matches a registry record.
      </p>
    );
  }
  return (
    <Table frameClassName="rounded-lg border border-slate-200 bg-white" data-testid="orphan-workloads">
      <caption className="sr-only">Workloads carrying a tenant label that matches no registry record</caption>
      <TableHead>
        <tr>
          <TableHeaderCell>Workload</TableHeaderCell>
          <TableHeaderCell>Namespace</TableHeaderCell>
          <TableHeaderCell>Instance id</TableHeaderCell>
          <TableHeaderCell>Since</TableHeaderCell>
        </tr>
      </TableHead>
      <TableBody>
        {orphans.map((orphan) => (
          <TableRow key={`${orphan.cluster}/${orphan.namespace}/${orphan.kind}/${orphan.name}`}>
            <TableCell>
              {showCluster && <ClusterBadge name={orphan.cluster} className="mr-1.5" />}
              <Link
                href={orphanHref(orphan.instanceId, showCluster ? orphan.cluster : undefined)}
                className="text-blue-700 hover:underline"
                aria-label={`${orphan.kind} ${orphan.name}, orphan workload`}
              >
                <span className="text-xs text-slate-500">{orphan.kind}/</span>
                <span className="font-mono text-xs">{orphan.name}</span>
              </Link>
            </TableCell>
            <TableCell className="font-mono text-xs">{orphan.namespace}</TableCell>
            <TableCell className="font-mono text-xs" title={orphan.instanceId}>
              {orphan.instanceId.slice(0, 8)}…
            </TableCell>
            <TableCell className="whitespace-nowrap text-slate-600">
              <RelativeTime iso={orphan.since} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

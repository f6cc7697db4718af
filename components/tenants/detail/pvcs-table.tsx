import clsx from "clsx";
import type { ReactNode } from "react";
import type { TenantDetail } from "@/lib/tenants/types";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table";
import { Panel } from "../panel";
import { formatBytes } from "../time-format";
import { UsageBar } from "../usage-bar";

/** `rowActions`: a claim's Actions menu (it renders nothing for roles that may not run runbooks). */
export function PvcsTable({ pvcs, rowActions }: { pvcs: TenantDetail["pvcs"]; rowActions?: (pvc: TenantDetail["pvcs"][number]) => ReactNode }) {
  return (
    <Panel title="Volumes (PVCs)">
      {pvcs.length === 0 ? (
        <p data-testid="pvcs-table" className="text-sm text-slate-600">
          This tenant has no persistent volume claims.
        </p>
      ) : (
        <Table density="compact" data-testid="pvcs-table">
          <caption className="sr-only">Persistent volume claims of this tenant</caption>
          <TableHead>
            <tr>
              <TableHeaderCell>Claim</TableHeaderCell>
              <TableHeaderCell>Phase</TableHeaderCell>
              <TableHeaderCell>Capacity / requested</TableHeaderCell>
              <TableHeaderCell>Storage class</TableHeaderCell>
              <TableHeaderCell>Expandable</TableHeaderCell>
              <TableHeaderCell>Used</TableHeaderCell>
              {rowActions && (
                <TableHeaderCell>
                  <span className="sr-only">Actions</span>
                </TableHeaderCell>
              )}
            </tr>
          </TableHead>
          <TableBody>
            {pvcs.map((pvc) => (
              <TableRow key={pvc.name} data-testid={`pvc-row-${pvc.name}`}>
                <TableCell className="font-mono text-xs">{pvc.name}</TableCell>
                <TableCell className={clsx(pvc.phase !== "Bound" && "font-medium text-amber-700")}>
                  {pvc.phase}
                  {pvc.resizing && <span className="ml-1 text-xs text-blue-700">(resizing)</span>}
                </TableCell>
                <TableCell className="font-mono text-xs">
                  {pvc.capacity ?? "—"} / {pvc.requested ?? "—"}
                </TableCell>
                <TableCell>
                  {pvc.storageClass ?? <span className="text-slate-400">default</span>}
                  {!pvc.storageClassExists && <span className="ml-1 text-xs font-medium text-red-700">(class does not exist)</span>}
                </TableCell>
                <TableCell>{pvc.expandable === undefined ? "unknown" : pvc.expandable ? "yes" : "no"}</TableCell>
                <TableCell className="w-56">
                  <UsageBar percent={pvc.usedPercent} label={`${pvc.name} used`} />
                  {pvc.usedBytes !== undefined && (
                    <p className="text-xs text-slate-500">
                      {formatBytes(pvc.usedBytes)} of {formatBytes(pvc.capacityBytes)}
                    </p>
                  )}
                </TableCell>
                {rowActions && <TableCell className="text-right">{rowActions(pvc)}</TableCell>}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Panel>
  );
}

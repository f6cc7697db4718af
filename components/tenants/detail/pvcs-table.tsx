import clsx from "clsx";
import type { TenantDetail } from "@/server/tenants/types";
import { Panel } from "../panel";
import { formatBytes } from "../time-format";
import { UsageBar } from "../usage-bar";

export function PvcsTable({ pvcs }: { pvcs: TenantDetail["pvcs"] }) {
  return (
    <Panel title="Volumes (PVCs)">
      {pvcs.length === 0 ? (
        <p data-testid="pvcs-table" className="text-sm text-slate-600">
          This tenant has no persistent volume claims.
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table data-testid="pvcs-table" className="w-full text-left text-sm">
            <caption className="sr-only">Persistent volume claims of this tenant</caption>
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="py-1.5 pr-3 font-medium">Claim</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Phase</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Capacity / requested</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Storage class</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Expandable</th>
                <th scope="col" className="py-1.5 font-medium">Used</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {pvcs.map((pvc) => (
                <tr key={pvc.name} data-testid={`pvc-row-${pvc.name}`} className="align-top">
                  <td className="py-1.5 pr-3 font-mono text-xs">{pvc.name}</td>
                  <td className={clsx("py-1.5 pr-3", pvc.phase !== "Bound" && "font-medium text-amber-700")}>
                    {pvc.phase}
                    {pvc.resizing && <span className="ml-1 text-xs text-blue-700">(resizing)</span>}
                  </td>
                  <td className="py-1.5 pr-3 font-mono text-xs">
                    {pvc.capacity ?? "—"} / {pvc.requested ?? "—"}
                  </td>
                  <td className="py-1.5 pr-3">
                    {pvc.storageClass ?? <span className="text-slate-400">default</span>}
                    {!pvc.storageClassExists && <span className="ml-1 text-xs font-medium text-red-700">(class does not exist)</span>}
                  </td>
                  <td className="py-1.5 pr-3">{pvc.expandable === undefined ? "unknown" : pvc.expandable ? "yes" : "no"}</td>
                  <td className="w-56 py-1.5">
                    <UsageBar percent={pvc.usedPercent} label={`${pvc.name} used`} />
                    {pvc.usedBytes !== undefined && (
                      <p className="text-xs text-slate-500">
                        {formatBytes(pvc.usedBytes)} of {formatBytes(pvc.capacityBytes)}
                      </p>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}

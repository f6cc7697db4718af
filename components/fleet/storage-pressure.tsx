import Link from "next/link";
import type { FleetSummary } from "@/lib/tenants/types";
import { UsageBar } from "@/components/tenants/usage-bar";
import { formatBytes } from "@/components/tenants/time-format";

export function StoragePressure({ volumes }: { volumes: FleetSummary["storagePressure"] }) {
  return (
    <div data-testid="storage-pressure">
      {volumes.length === 0 ? (
        <p className="text-sm text-slate-600">No volume usage reported yet.</p>
      ) : (
        <ul className="space-y-2">
          {volumes.map((volume) => (
            <li key={`${volume.tenantId}/${volume.pvc}`} className="text-sm">
              <div className="flex items-baseline justify-between gap-2">
                <Link href={`/tenants/${volume.tenantId}`} className="truncate font-medium text-blue-700 hover:underline">
                  {volume.tenantName}
                </Link>
                <span className="whitespace-nowrap text-xs text-slate-500">
                  {volume.pvc} · {formatBytes(volume.usedBytes)} of {formatBytes(volume.capacityBytes)}
                </span>
              </div>
              <UsageBar percent={volume.usedPercent} label={`${volume.tenantName} ${volume.pvc} usage`} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

import Link from "next/link";
import clsx from "clsx";
import type { HealthState } from "@/lib/tenants/types";
import { HEALTH_ORDER, HEALTH_STYLE } from "@/components/tenants/health-style";

/** One count per health state; each opens the tenants list filtered to that state. */
export function HealthTiles({ byHealth, clusters = [] }: { byHealth: Record<HealthState, number>; clusters?: string[] }) {
  // Narrowed to some clusters, a tile opens the tenants list narrowed the same way.
  const clusterSearch = clusters.map((name) => `&cluster=${encodeURIComponent(name)}`).join("");
  return (
    <ul className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-2" aria-label="Tenants per health state">
      {HEALTH_ORDER.map((state) => {
        const count = byHealth[state] ?? 0;
        const style = HEALTH_STYLE[state];
        return (
          <li key={state}>
            <Link
              href={`/tenants?health=${state}${clusterSearch}`}
              data-testid={`health-tile-${state}`}
              aria-label={`${count} ${style.label.toLowerCase()} tenants, show them`}
              className={clsx(
                "flex flex-col rounded-lg border border-slate-200 bg-white px-3 py-2 hover:border-slate-400 focus-visible:outline-2 focus-visible:outline-blue-600",
                count === 0 && "opacity-60",
              )}
            >
              <span className="flex items-center gap-1.5 text-xs text-slate-600">
                <span aria-hidden className={clsx("size-2 rounded-full", style.dot)} />
                {style.label}
              </span>
              <span className="font-mono text-xl font-semibold tabular-nums text-slate-900">{count.toLocaleString("en-US")}</span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

import clsx from "clsx";
import type { HealthState } from "@/lib/tenants/types";
import { HEALTH_STYLE } from "./health-style";

export function HealthBadge({ health, className, ...rest }: { health: HealthState; className?: string; "data-testid"?: string }) {
  const style = HEALTH_STYLE[health] ?? HEALTH_STYLE.unknown;
  return (
    <span
      data-testid={rest["data-testid"]}
      data-health={health}
      className={clsx(
        "inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset whitespace-nowrap",
        style.badge,
        className,
      )}
    >
      <span aria-hidden className={clsx("size-1.5 rounded-full", style.dot)} />
      {style.label}
    </span>
  );
}

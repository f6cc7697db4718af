"use client";

import { useNow } from "@/components/tenants/relative-time";
import { formatAbsolute, formatClock, formatRelative } from "@/components/tenants/time-format";

/** "data from 10:42, 40 s ago": how old what the page shows is, counting while it reconnects. */
export function LiveDataAge({ since }: { since: number }) {
  const now = useNow();
  const iso = new Date(since).toISOString();
  return (
    <span data-testid="live-data-age">
      data from{" "}
      <time dateTime={iso} title={formatAbsolute(iso)}>
        {formatClock(iso)}
      </time>
      , {formatRelative(iso, now)}
    </span>
  );
}

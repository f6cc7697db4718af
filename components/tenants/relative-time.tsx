"use client";

import { useEffect, useState } from "react";
import { formatAbsolute, formatDuration, formatRelative } from "./time-format";

/** Ticks once a second while mounted so "2 s ago" keeps counting without a refetch. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Relative time with the absolute time in the title (hover) and in dateTime (machines). */
export function RelativeTime({ iso, style = "ago" }: { iso: string | undefined | null; style?: "ago" | "age" }) {
  const now = useNow(style === "age" ? 10_000 : 1000);
  if (!iso) return <span className="text-slate-400">—</span>;
  const text = style === "age" ? formatDuration(now - Date.parse(iso)) : formatRelative(iso, now);
  return (
    // Server and browser clocks differ by the render delay; the next tick corrects the text.
    <time dateTime={iso} title={formatAbsolute(iso)} suppressHydrationWarning>
      {text}
    </time>
  );
}

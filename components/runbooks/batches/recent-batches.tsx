"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { RelativeTime } from "@/components/tenants/relative-time";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";

import { BATCH_STATE_STYLE, isBatchActive } from "./batch-style";

/** The Runs page's latest runs over a selection (shown only once there is one), live while any is active. */
export function RecentBatches() {
  const trpc = useTRPC();
  const batches = useQuery({
    ...trpc.runbooks.batches.list.queryOptions({ limit: 5 }),
    refetchInterval: (query) => (query.state.data?.some((batch) => isBatchActive(batch.state, batch.counts.running)) ? 2_000 : 15_000),
  });
  if (!batches.data || batches.data.length === 0) return null;
  return (
    <section aria-labelledby="recent-batches" className="rounded-xl border border-slate-200 bg-white p-3" data-testid="recent-batches">
      <h2 id="recent-batches" className="mb-2 text-sm font-semibold text-slate-900">
        Runs over a selection
      </h2>
      <ul className="divide-y divide-slate-100">
        {batches.data.map((batch) => {
          const done = batch.size - batch.counts.pending - batch.counts.running;
          return (
            <li key={batch.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-1.5 text-sm">
              <Link href={`/runs/batches/${batch.id}`} className="font-medium text-blue-700 hover:underline">
                {batch.title} · {batch.size.toLocaleString("en-US")} {batch.size === 1 ? "tenant" : "tenants"}
              </Link>
              <Badge tone={BATCH_STATE_STYLE[batch.state].tone} data-state={batch.state}>
                {BATCH_STATE_STYLE[batch.state].label}
              </Badge>
              <span className="text-xs text-slate-600">
                {done.toLocaleString("en-US")} done{batch.counts.failed > 0 ? ` · ${batch.counts.failed} failed` : ""} · {batch.selectionLabel} ·{" "}
                {batch.requestedBy.email} <RelativeTime iso={batch.createdAt} />
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

"use client";

import Link from "next/link";
import { useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import type { GateResultView } from "@/lib/migration/gates";
import { useLiveSubscription } from "@/components/live/use-live-connection";
import { useTRPC } from "@/components/trpc/client";
import { Panel } from "@/components/tenants/panel";
import { GateBadge } from "./gate-badge";

/** Every automatic gate with its state, summary and failing tenants; live while the page is open. */
export function GatesPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(trpc.migration.gates.list.queryOptions());
  // A tick says "a result changed"; cancelRefetch: false lets a burst of ticks share one request.
  const refetch = () => void queryClient.invalidateQueries(trpc.migration.gates.list.pathFilter(), { cancelRefetch: false });
  const live = useSubscription(trpc.migration.gates.onChange.subscriptionOptions(undefined, { onData: refetch }));
  const connection = useLiveSubscription(live, { onResumed: refetch });

  return (
    <Panel
      title="Automatic gates"
      data-testid="gates-panel"
      actions={
        <span className="text-xs text-slate-500" data-testid="gates-live" data-state={connection.state}>
          {connection.state === "live" ? "live" : connection.state === "connecting" ? "connecting…" : "reconnecting…"}
        </span>
      }
    >
      <ul className="divide-y divide-slate-100">
        {data.gates.map((gate) => (
          <GateRow key={gate.key} gate={gate} />
        ))}
      </ul>
    </Panel>
  );
}

function GateRow({ gate }: { gate: GateResultView }) {
  const more = gate.failingCount - gate.failing.length;
  return (
    <li className="py-3" data-testid={`gate-${gate.key}`} data-state={gate.state}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="text-sm font-medium text-slate-900">{gate.title}</h3>
        <GateBadge gate={gate} />
      </div>
      <p className="mt-1 text-sm text-slate-600" data-testid="gate-summary">
        {gate.summary}
      </p>
      {gate.failing.length > 0 && (
        <ul className="mt-2 space-y-1 text-sm" aria-label={`Tenants failing: ${gate.title}`} data-testid="gate-failing">
          {gate.failing.map((tenant) => (
            <li key={tenant.tenantId} className="flex flex-wrap gap-x-2">
              <Link href={`/tenants/${tenant.tenantId}`} className="font-medium text-blue-700 hover:underline">
                {tenant.name}
              </Link>
              <span className="text-slate-600">{tenant.reason}</span>
            </li>
          ))}
          {more > 0 && <li className="text-slate-500">and {more.toLocaleString("en-US")} more</li>}
        </ul>
      )}
    </li>
  );
}

"use client";

import dynamic from "next/dynamic";
import { Skeleton } from "@/components/ui/skeleton";
import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";

import { RelativeTime } from "@/components/tenants/relative-time";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";

import { WaveProgress, WaveStateBadge } from "./wave-badges";

// recharts loads after the page is interactive, in the chart's own chunk (issue 14's JS budget).
const MigrationProgressChart = dynamic(() => import("./migration-progress-chart").then((chart) => chart.MigrationProgressChart), {
  ssr: false,
  loading: () => <Skeleton className="h-48 w-full" />,
});

// The form (with the wave input's zod schema, which checks it as the PM types) is fetched when "New wave" is clicked.
const NewWaveForm = dynamic(() => import("./new-wave-form").then((form) => form.NewWaveForm), {
  ssr: false,
  loading: () => <Skeleton className="h-96 w-full" />,
});

export function WavesView({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { data: waves } = useSuspenseQuery(trpc.migration.waves.list.queryOptions(undefined, { refetchInterval: 5_000 }));
  const [creating, setCreating] = useState(false);
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/migration" className="text-blue-700 hover:underline">
          ← Migration
        </Link>
      </nav>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-xl font-semibold">Migration waves</h1>
        {canEdit && !creating ? (
          <Button variant="primary" onClick={() => setCreating(true)}>
            New wave
          </Button>
        ) : null}
      </div>
      <p className="max-w-3xl text-sm text-slate-600">
        A wave moves a set of tenants from Docker Swarm to Kubernetes, batch by batch. The steps outside the cluster (backup, Swarm stop, data copy, DNS) are
        attested; starting on Kubernetes and verifying run as runbook runs, each locked, idempotent and audited, and the wave pauses when its failure budget is
        spent.
      </p>
      {creating ? (
        <Card aria-labelledby="new-wave-title">
          <CardHeader
            titleId="new-wave-title"
            title="New wave"
            description="Choose the tenants by filters or by hand; they are scheduled when the wave is created."
            actions={
              <Button size="sm" variant="ghost" onClick={() => setCreating(false)}>
                Cancel
              </Button>
            }
          />
          <CardBody>
            <NewWaveForm onCreated={(id) => router.push(`/migration/waves/${id}`)} />
          </CardBody>
        </Card>
      ) : null}
      <Card aria-labelledby="waves-progress-title">
        <CardHeader
          titleId="waves-progress-title"
          title="Tenants migrated"
          description="Tenants verified on Kubernetes per day, against the tenants the waves plan by their window's end."
        />
        <CardBody>
          <MigrationProgressChart />
        </CardBody>
      </Card>
      <Card aria-labelledby="waves-list-title">
        <CardHeader titleId="waves-list-title" title="Waves" description={`${waves.length} wave${waves.length === 1 ? "" : "s"}`} />
        {waves.length === 0 ? (
          <CardBody>
            <p className="text-sm text-slate-600">
              No wave yet. {canEdit ? "Start with a canary of internal and demo tenants." : "A PM creates the first one."}
            </p>
          </CardBody>
        ) : (
          <ul className="divide-y divide-slate-200" aria-label="Waves">
            {waves.map((wave) => (
              <li key={wave.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3" data-testid="wave-row">
                <div className="min-w-0">
                  <Link href={`/migration/waves/${wave.id}`} className="font-medium text-blue-700 hover:underline">
                    {wave.name}
                  </Link>{" "}
                  <WaveStateBadge state={wave.state} />
                  <p className="text-xs text-slate-600">
                    {wave.tenantCount} tenants · batches of {wave.batchSize} · {wave.concurrency} at a time · {wave.failedRuns} of {wave.failureBudget} failures
                    · created by {wave.createdByEmail} <RelativeTime iso={wave.createdAt} />
                  </p>
                </div>
                <WaveProgress verified={wave.verifiedCount} total={wave.tenantCount} />
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

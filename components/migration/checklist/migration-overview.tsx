"use client";

import dynamic from "next/dynamic";
import { Skeleton } from "@/components/ui/skeleton";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useCallback, useTransition } from "react";
import { useQuery, useSuspenseQuery } from "@tanstack/react-query";

import { BurnUpTiles, WorkstreamProgress } from "@/components/migration/burn-up/burn-up-tiles";
import { useTRPC } from "@/components/trpc/client";
import { buttonClassName } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { LinkProblems } from "@/components/ui/link-problems";
import type { ChecklistFilter } from "@/lib/migration/checklist-schemas";

import { ChecklistFilters } from "./checklist-filters";
import { checklistParamsToSearch, type ChecklistParams } from "./checklist-params";
import { ChecklistWeeks } from "./checklist-weeks";
import { TaskDrawer } from "./task-drawer";

// recharts loads after the page is interactive, in the chart's own chunk (issue 14's JS budget).
const BurnUpChart = dynamic(() => import("@/components/migration/burn-up/burn-up-chart").then((chart) => chart.BurnUpChart), {
  ssr: false,
  loading: () => <Skeleton className="h-64 w-full" />,
});

/**
 * The Migration page: the burn-up and its counts on top, then the checklist grouped by week with
 * its filters (in the URL); a task's details open in a drawer (`?task=<id>`). Without
 * migration:edit everything is shown and nothing offers a change. `params` and `problems` are the
 * page's reading of the URL (parse-checklist-params.ts, on the server).
 */
export function MigrationOverview({ canEdit, params, problems }: { canEdit: boolean; params: ChecklistParams; problems: string[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const [navigating, startNavigation] = useTransition();

  const { data: burnUp } = useSuspenseQuery(trpc.migration.checklist.burnUp.queryOptions());
  const { data: tasks } = useSuspenseQuery(trpc.migration.checklist.list.queryOptions(params.filter));
  const { data: owners } = useSuspenseQuery(trpc.migration.checklist.owners.queryOptions());
  // The tasks' automatic checks: not awaited with the page (a gate may take a moment to evaluate), re-read every 5 s.
  const { data: gateResults } = useQuery(trpc.migration.gates.list.queryOptions(undefined, { refetchInterval: 5_000 }));
  const gates = Object.fromEntries((gateResults?.gates ?? []).map((gate) => [gate.key, gate]));
  const { data: attestations } = useQuery(trpc.migration.gates.currentAttestations.queryOptions(undefined, { refetchInterval: 30_000 }));
  const attested = new Map((attestations ?? []).map((a) => [a.taskId, `Attested by ${a.attestedByEmail}`]));

  const navigate = useCallback(
    (next: ChecklistParams) => startNavigation(() => router.push(`${pathname}${checklistParamsToSearch(next)}`, { scroll: false })),
    [pathname, router],
  );
  const onFilter = useCallback(
    (key: keyof ChecklistFilter, value: string) => {
      const filter = { ...params.filter } as Record<string, unknown>;
      if (value === "") delete filter[key];
      else filter[key] = key === "week" ? Number(value) : value;
      navigate({ ...params, filter: filter as ChecklistFilter });
    },
    [navigate, params],
  );

  const filtered = Object.keys(params.filter).length > 0;
  const listSearch = (task: string | undefined) => checklistParamsToSearch({ ...params, task });
  const exportSearch = (format: "csv" | "md") => checklistParamsToSearch({ filter: params.filter, task: undefined }, { format });

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div className="flex flex-wrap items-baseline gap-3">
          <h1 className="text-xl font-semibold">Migration</h1>
          <span className="text-sm text-slate-600">Swarm → Kubernetes, the 10-week plan</span>
          {navigating && (
            <span role="status" className="text-xs text-slate-500">
              Loading…
            </span>
          )}
        </div>
        <div className="flex flex-wrap gap-2">
          <Link href="/migration/waves" className={buttonClassName()}>
            Waves
          </Link>
          <Link href="/migration/gates" className={buttonClassName()}>
            Gates
          </Link>
          {/* Plain links: the browser downloads the file and sends Sec-Fetch-Site: same-origin. */}
          <a href={`/api/migration/checklist/export${exportSearch("csv")}`} download className={buttonClassName()}>
            Export CSV
          </a>
          <a href={`/api/migration/checklist/export${exportSearch("md")}`} download className={buttonClassName()}>
            Export Markdown
          </a>
        </div>
      </div>

      <LinkProblems problems={problems} />

      <Card aria-labelledby="migration-progress-title">
        <CardHeader
          titleId="migration-progress-title"
          title="Progress"
          description={`Tasks done over time against the scope and the plan; the forecast assumes the pace of the last ${burnUp.paceWindowDays} days.`}
        />
        <CardBody className="space-y-4">
          <BurnUpTiles burnUp={burnUp} />
          <BurnUpChart burnUp={burnUp} />
          <WorkstreamProgress burnUp={burnUp} />
        </CardBody>
      </Card>

      <section aria-labelledby="migration-checklist-title" className="space-y-3">
        <div className="flex flex-wrap items-baseline gap-3">
          <h2 id="migration-checklist-title" className="text-base font-semibold">
            Checklist
          </h2>
          <span className="text-sm text-slate-600" data-testid="migration-task-count">
            {tasks.length} {filtered ? "match" : "tasks"}
          </span>
          {!canEdit && <span className="text-xs text-slate-500">Read only: your role cannot change tasks.</span>}
        </div>
        <ChecklistFilters
          filter={params.filter}
          owners={owners}
          onChange={onFilter}
          clearHref={filtered ? `${pathname}${checklistParamsToSearch({ filter: {}, task: params.task })}` : null}
        />
        <ChecklistWeeks tasks={tasks} today={burnUp.today} gates={gates} attested={attested} hrefOf={(taskId) => `${pathname}${listSearch(taskId)}`} />
      </section>

      {params.task && <TaskDrawer taskId={params.task} closeHref={`${pathname}${listSearch(undefined)}`} canEdit={canEdit} owners={owners} gates={gates} />}
    </div>
  );
}

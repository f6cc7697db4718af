"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { CartesianGrid, Line, LineChart, XAxis, YAxis } from "recharts";

import {
  CHART_AXIS_TICK,
  CHART_CHROME,
  CHART_VALUE_TICK,
  ChartContainer,
  ChartTooltip,
  ChartTooltipContent,
  type ChartSeriesConfig,
} from "@/components/charts/chart-container";
import { useTRPC } from "@/components/trpc/client";

const CONFIG: ChartSeriesConfig = {
  migrated: { label: "Tenants migrated (verified)", color: { light: "#047857", dark: "#34d399" } },
  planned: { label: "Planned by the waves", color: { light: "#64748b", dark: "#94a3b8" } },
};

function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** Tenants migrated over time against the waves' plan (a wave counts on its window's end). */
export function MigrationProgressChart() {
  const trpc = useTRPC();
  const { data: days } = useSuspenseQuery(trpc.migration.waves.progress.queryOptions(undefined, { refetchInterval: 10_000 }));
  const last = days.at(-1);
  if (!last || (last.migrated === 0 && last.planned === 0)) {
    return <p className="text-sm text-slate-600">No tenant is planned in a wave or migrated yet: the chart starts with the first wave.</p>;
  }
  // One day alone draws no line: start from the day before, at nothing.
  const data = days.length > 1 ? days : [{ day: previousDay(days[0].day), migrated: 0, planned: 0 }, ...days];
  const title = `Tenants migrated over time: ${last?.migrated ?? 0} migrated of ${last?.planned ?? 0} planned`;
  return (
    <div>
      <ChartContainer config={CONFIG} title={title} className="h-48" data-testid="migration-progress-chart">
        <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: -16 }}>
          <CartesianGrid vertical={false} stroke={CHART_CHROME.grid} />
          <XAxis dataKey="day" tickLine={false} axisLine={false} minTickGap={24} tick={CHART_AXIS_TICK} />
          <YAxis allowDecimals={false} tickLine={false} axisLine={false} tick={CHART_VALUE_TICK} />
          <ChartTooltip content={<ChartTooltipContent />} />
          <Line type="stepAfter" dataKey="planned" stroke="var(--color-planned)" strokeDasharray="4 3" dot={false} isAnimationActive={false} />
          <Line type="stepAfter" dataKey="migrated" stroke="var(--color-migrated)" strokeWidth={2} dot={false} isAnimationActive={false} />
        </LineChart>
      </ChartContainer>
      <p className="mt-1 text-xs text-slate-600">{title}.</p>
    </div>
  );
}

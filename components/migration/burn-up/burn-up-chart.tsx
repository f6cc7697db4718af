"use client";

import { CartesianGrid, Line, LineChart, ReferenceLine, XAxis, YAxis } from "recharts";

import {
  CHART_AXIS_TICK,
  CHART_CHROME,
  CHART_VALUE_TICK,
  ChartContainer,
  ChartTooltip,
  ChartTooltipContent,
  type ChartSeriesConfig,
} from "@/components/charts/chart-container";
import type { BurnUp } from "@/lib/migration/burn-up";

const BURN_UP_CONFIG: ChartSeriesConfig = {
  done: { label: "Done", color: { light: "#047857", dark: "#34d399" } },
  scope: { label: "Scope", color: { light: "#64748b", dark: "#94a3b8" } },
  planned: { label: "Due by then (plan)", color: { light: "#93c5fd", dark: "#3b82f6" } },
  forecast: { label: "Forecast at the current pace", color: { light: "#d97706", dark: "#fbbf24" } },
};

const shortDay = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

export function burnUpSummary(burnUp: BurnUp): string {
  const forecast = burnUp.forecastDate ? `forecast finish ${burnUp.forecastDate}` : "no forecast yet";
  return `Migration burn-up: ${burnUp.done} of ${burnUp.total} tasks done, target ${burnUp.targetDate ?? "not set"}, ${forecast}`;
}

/** Tasks done over time against the scope and the plan, with the finish forecast at the current pace. */
export function BurnUpChart({ burnUp }: { burnUp: BurnUp }) {
  return (
    <ChartContainer config={BURN_UP_CONFIG} title={burnUpSummary(burnUp)} className="h-64" data-testid="migration-burn-up">
      <LineChart data={burnUp.points} margin={{ top: 12, right: 12, bottom: 0, left: 0 }} accessibilityLayer>
        <CartesianGrid vertical={false} stroke={CHART_CHROME.grid} />
        <XAxis dataKey="day" tickFormatter={shortDay} tickLine={false} axisLine={false} minTickGap={24} tick={CHART_AXIS_TICK} />
        <YAxis allowDecimals={false} tickLine={false} axisLine={false} width={32} tick={CHART_VALUE_TICK} />
        <ChartTooltip content={<ChartTooltipContent />} labelFormatter={(day) => shortDay(String(day))} />
        <ReferenceLine
          x={burnUp.today}
          stroke={CHART_CHROME.reference}
          strokeDasharray="2 2"
          label={{ value: "Today", position: "insideTopLeft", fill: CHART_CHROME.axis, fontSize: 11 }}
        />
        {burnUp.targetDate && (
          <ReferenceLine
            x={burnUp.targetDate}
            stroke={CHART_CHROME.target}
            label={{ value: "Target", position: "insideTopRight", fill: CHART_CHROME.target, fontSize: 11 }}
          />
        )}
        <Line type="stepAfter" dataKey="scope" stroke="var(--color-scope)" strokeDasharray="6 3" dot={false} isAnimationActive={false} />
        <Line type="stepAfter" dataKey="planned" stroke="var(--color-planned)" dot={false} isAnimationActive={false} />
        <Line type="stepAfter" dataKey="done" stroke="var(--color-done)" strokeWidth={2} dot={false} isAnimationActive={false} connectNulls={false} />
        <Line type="linear" dataKey="forecast" stroke="var(--color-forecast)" strokeDasharray="4 4" dot={false} isAnimationActive={false} />
      </LineChart>
    </ChartContainer>
  );
}

"use client";

import { CartesianGrid, Line, LineChart, ReferenceLine, XAxis, YAxis } from "recharts";

import { ChartContainer, ChartTooltip, ChartTooltipContent, type ChartSeriesConfig } from "@/components/charts/chart-container";
import type { BurnUp } from "@/lib/migration/burn-up";

const BURN_UP_CONFIG: ChartSeriesConfig = {
  done: { label: "Done", color: "#047857" },
  scope: { label: "Scope", color: "#64748b" },
  planned: { label: "Due by then (plan)", color: "#93c5fd" },
  forecast: { label: "Forecast at the current pace", color: "#d97706" },
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
        <CartesianGrid vertical={false} stroke="#e2e8f0" />
        <XAxis dataKey="day" tickFormatter={shortDay} tickLine={false} axisLine={false} minTickGap={24} tick={{ fill: "#475569", fontSize: 11 }} />
        <YAxis allowDecimals={false} tickLine={false} axisLine={false} width={32} tick={{ fill: "#64748b", fontSize: 11 }} />
        <ChartTooltip content={<ChartTooltipContent />} labelFormatter={(day) => shortDay(String(day))} />
        <ReferenceLine
          x={burnUp.today}
          stroke="#94a3b8"
          strokeDasharray="2 2"
          label={{ value: "Today", position: "insideTopLeft", fill: "#475569", fontSize: 11 }}
        />
        {burnUp.targetDate && (
          <ReferenceLine x={burnUp.targetDate} stroke="#1d4ed8" label={{ value: "Target", position: "insideTopRight", fill: "#1d4ed8", fontSize: 11 }} />
        )}
        <Line type="stepAfter" dataKey="scope" stroke="var(--color-scope)" strokeDasharray="6 3" dot={false} isAnimationActive={false} />
        <Line type="stepAfter" dataKey="planned" stroke="var(--color-planned)" dot={false} isAnimationActive={false} />
        <Line type="stepAfter" dataKey="done" stroke="var(--color-done)" strokeWidth={2} dot={false} isAnimationActive={false} connectNulls={false} />
        <Line type="linear" dataKey="forecast" stroke="var(--color-forecast)" strokeDasharray="4 4" dot={false} isAnimationActive={false} />
      </LineChart>
    </ChartContainer>
  );
}

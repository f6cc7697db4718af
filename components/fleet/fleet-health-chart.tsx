"use client";

import { Bar, BarChart, CartesianGrid, Cell, LabelList, XAxis, YAxis } from "recharts";
import type { HealthState } from "@/lib/tenants/types";
import {
  CHART_AXIS_TICK,
  CHART_CHROME,
  CHART_VALUE_TICK,
  ChartContainer,
  ChartTooltip,
  ChartTooltipContent,
  type ChartSeriesConfig,
} from "@/components/charts/chart-container";
import { HEALTH_ORDER, HEALTH_STYLE } from "@/components/tenants/health-style";
import { useNarrowScreen } from "@/components/ui/use-narrow-screen";

const HEALTH_CHART_CONFIG: ChartSeriesConfig = Object.fromEntries(
  HEALTH_ORDER.map((state) => [state, { label: HEALTH_STYLE[state].label, color: HEALTH_STYLE[state].color }]),
);

export function FleetHealthChart({ byHealth, total }: { byHealth: Record<HealthState, number>; total: number }) {
  const bars = HEALTH_ORDER.map((state) => ({ state, label: HEALTH_STYLE[state].label, tenants: byHealth[state] ?? 0 }));
  const summary = bars.map((bar) => `${bar.label} ${bar.tenants}`).join(", ");
  // Nine labels side by side overlap on a phone: slanted, each keeps its bar.
  const narrow = useNarrowScreen();
  return (
    <ChartContainer
      config={HEALTH_CHART_CONFIG}
      title={`Tenants by health, ${total} in total: ${summary}`}
      className={narrow ? "h-72" : "h-60"}
      data-testid="fleet-health-chart"
    >
      <BarChart data={bars} margin={{ top: 20, right: 8, bottom: 0, left: 0 }} accessibilityLayer>
        <CartesianGrid vertical={false} stroke={CHART_CHROME.grid} />
        <XAxis
          dataKey="label"
          tickLine={false}
          axisLine={false}
          interval={0}
          tick={CHART_AXIS_TICK}
          angle={narrow ? -45 : 0}
          textAnchor={narrow ? "end" : "middle"}
          height={narrow ? 72 : 30}
        />
        <YAxis allowDecimals={false} tickLine={false} axisLine={false} width={36} tick={CHART_VALUE_TICK} />
        <ChartTooltip cursor={{ fill: CHART_CHROME.cursor }} content={<ChartTooltipContent nameKey="state" />} />
        <Bar dataKey="tenants" radius={[4, 4, 0, 0]} isAnimationActive={false} minPointSize={2}>
          {bars.map((bar) => (
            <Cell key={bar.state} fill={`var(--color-${bar.state})`} />
          ))}
          <LabelList dataKey="tenants" position="top" fill={CHART_CHROME.label} fontSize={11} />
        </Bar>
      </BarChart>
    </ChartContainer>
  );
}

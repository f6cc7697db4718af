"use client";

import { Bar, BarChart, CartesianGrid, Cell, LabelList, XAxis, YAxis } from "recharts";
import type { HealthState } from "@/lib/tenants/types";
import { ChartContainer, ChartTooltip, ChartTooltipContent, type ChartSeriesConfig } from "@/components/charts/chart-container";
import { HEALTH_ORDER, HEALTH_STYLE } from "@/components/tenants/health-style";

const HEALTH_CHART_CONFIG: ChartSeriesConfig = Object.fromEntries(
  HEALTH_ORDER.map((state) => [state, { label: HEALTH_STYLE[state].label, color: HEALTH_STYLE[state].color }]),
);

export function FleetHealthChart({ byHealth, total }: { byHealth: Record<HealthState, number>; total: number }) {
  const bars = HEALTH_ORDER.map((state) => ({ state, label: HEALTH_STYLE[state].label, tenants: byHealth[state] ?? 0 }));
  const summary = bars.map((bar) => `${bar.label} ${bar.tenants}`).join(", ");
  return (
    <ChartContainer config={HEALTH_CHART_CONFIG} title={`Tenants by health, ${total} in total: ${summary}`} className="h-60" data-testid="fleet-health-chart">
      <BarChart data={bars} margin={{ top: 20, right: 8, bottom: 0, left: 0 }} accessibilityLayer>
        <CartesianGrid vertical={false} stroke="#e2e8f0" />
        <XAxis dataKey="label" tickLine={false} axisLine={false} interval={0} tick={{ fill: "#475569", fontSize: 11 }} />
        <YAxis allowDecimals={false} tickLine={false} axisLine={false} width={36} tick={{ fill: "#64748b", fontSize: 11 }} />
        <ChartTooltip cursor={{ fill: "#f1f5f9" }} content={<ChartTooltipContent nameKey="state" />} />
        <Bar dataKey="tenants" radius={[4, 4, 0, 0]} isAnimationActive={false} minPointSize={2}>
          {bars.map((bar) => (
            <Cell key={bar.state} fill={`var(--color-${bar.state})`} />
          ))}
          <LabelList dataKey="tenants" position="top" fill="#0f172a" fontSize={11} />
        </Bar>
      </BarChart>
    </ChartContainer>
  );
}

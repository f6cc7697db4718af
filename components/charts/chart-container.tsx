"use client";

import { createContext, useContext, useId, type CSSProperties, type ReactElement, type ReactNode } from "react";
import { ResponsiveContainer, Tooltip } from "recharts";
import clsx from "clsx";

/**
 * The one recharts wrapper (the idea of shadcn's chart.tsx): every chart declares its series in a
 * config (key -> label + colour), and the tooltip reads labels and colours from that config,
 * so every chart in the portal looks and behaves alike and colours live in one place per series.
 * A series colour is one colour for both themes, or a `{ light, dark }` pair when one would not
 * read on the other theme's background.
 */
export type ChartColour = string | { light: string; dark: string };
export type ChartSeriesConfig = Record<string, { label: string; color: ChartColour }>;

/** A series colour as CSS: a pair becomes `light-dark()`, which follows the page's `color-scheme`. */
export function chartColourCss(colour: ChartColour): string {
  return typeof colour === "string" ? colour : `light-dark(${colour.light}, ${colour.dark})`;
}

/** The chart chrome's colours (CSS variables of globals.css), for recharts' colour props. */
export const CHART_CHROME = {
  grid: "var(--chart-grid)",
  axis: "var(--chart-axis)",
  axisMuted: "var(--chart-axis-muted)",
  label: "var(--chart-label)",
  cursor: "var(--chart-cursor)",
  reference: "var(--chart-reference)",
  target: "var(--chart-target)",
} as const;

/** Tick text of a category axis and of a value axis. */
export const CHART_AXIS_TICK = { fill: CHART_CHROME.axis, fontSize: 11 } as const;
export const CHART_VALUE_TICK = { fill: CHART_CHROME.axisMuted, fontSize: 11 } as const;

const ChartConfigContext = createContext<ChartSeriesConfig | null>(null);

function useChartConfig(): ChartSeriesConfig {
  const config = useContext(ChartConfigContext);
  if (!config) throw new Error("Chart parts must be rendered inside <ChartContainer>");
  return config;
}

export function ChartContainer({
  config,
  title,
  className,
  children,
  ...rest
}: {
  config: ChartSeriesConfig;
  /** Read by screen readers; the numbers should also be shown as text next to the chart. */
  title: string;
  className?: string;
  children: ReactElement;
  "data-testid"?: string;
}) {
  const chartId = useId().replace(/:/g, "");
  // Series colours as CSS variables so SVG fills and HTML swatches use the same value.
  const colourVariables = Object.fromEntries(Object.entries(config).map(([key, series]) => [`--color-${key}`, chartColourCss(series.color)])) as CSSProperties;
  return (
    <ChartConfigContext.Provider value={config}>
      <figure
        role="img"
        aria-label={title}
        data-chart={chartId}
        data-testid={rest["data-testid"]}
        className={clsx("relative w-full text-xs", className ?? "h-64")}
        style={colourVariables}
      >
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 320, height: 200 }}>
          {children}
        </ResponsiveContainer>
      </figure>
    </ChartConfigContext.Provider>
  );
}

export const ChartTooltip = Tooltip;

type TooltipEntry = {
  dataKey?: unknown;
  name?: unknown;
  value?: unknown;
  color?: string;
  payload?: Record<string, unknown>;
};

/** Tooltip body: one row per series with its configured swatch and label. */
export function ChartTooltipContent({
  active,
  payload,
  label,
  nameKey,
  formatValue = (value) => String(value),
}: {
  active?: boolean;
  payload?: readonly TooltipEntry[];
  label?: ReactNode;
  /** When one series is split by category (a pie, a bar per state), the field naming the category. */
  nameKey?: string;
  formatValue?: (value: unknown) => string;
}) {
  const config = useChartConfig();
  if (!active || !payload?.length) return null;
  return (
    <div className="min-w-32 rounded-md border border-slate-200 bg-white px-3 py-2 shadow-md">
      {label !== undefined && label !== "" && !nameKey && <div className="mb-1 font-medium text-slate-900">{label}</div>}
      <ul className="space-y-0.5">
        {payload.map((entry, index) => {
          const key = String((nameKey && entry.payload?.[nameKey]) ?? entry.dataKey ?? entry.name ?? index);
          const series = config[key];
          return (
            <li key={key} className="flex items-center gap-2 text-slate-700">
              <span aria-hidden className="inline-block size-2.5 rounded-sm" style={{ background: series ? `var(--color-${key})` : entry.color }} />
              <span className="flex-1">{series?.label ?? key}</span>
              <span className="font-mono tabular-nums text-slate-900">{formatValue(entry.value)}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

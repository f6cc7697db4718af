import { z } from "zod";

import type { RawSearchParams } from "@/components/tenants/tenant-list-params";
import { logSourceInput } from "@/lib/logs/log-request";

import { FILTER_LEVELS, type FilterLevel } from "./log-level";
import { DEFAULT_LOG_VIEW_PARAMS, SINCE_PRESETS, TAIL_VALUES, type LogViewParams } from "./log-view-params";

/**
 * Reads the log view's URL, on the server (the page passes the result to the viewer). Each
 * parameter is checked on its own: a bad one falls back to its default with a notice, the others
 * still apply.
 */

const flag = z.enum(["1", "0", "true", "false", "on", "off"]).transform((value) => value === "1" || value === "true" || value === "on");

const PARAM_SCHEMAS = {
  pod: logSourceInput.shape.pod,
  container: logSourceInput.shape.container,
  tail: z.enum(TAIL_VALUES),
  since: z.union([
    z.enum(SINCE_PRESETS),
    z
      .string()
      .max(40)
      .refine((value) => /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value)), "is not a date and time")
      .transform((value) => new Date(value).toISOString()),
  ]),
  ts: flag,
  wrap: flag,
  q: z.string().max(500),
  filter: flag,
  regex: flag,
  case: flag,
  level: z.array(z.enum(FILTER_LEVELS)),
  previous: flag,
} satisfies Record<keyof LogViewParams, z.ZodType>;

const DESCRIBE_DEFAULT: Record<keyof LogViewParams, string> = {
  pod: "all pods",
  container: "the default container",
  tail: "the last 1,000 lines",
  since: "the whole log",
  ts: "timestamps on",
  wrap: "wrapping off",
  q: "no search",
  filter: "matches highlighted among all lines",
  regex: "plain-text search",
  case: "case-insensitive search",
  level: "all levels",
  previous: "the current container",
};

function firstOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function parseLogViewParams(raw: RawSearchParams): { params: LogViewParams; notices: string[] } {
  const params: LogViewParams = { ...DEFAULT_LOG_VIEW_PARAMS, level: [] };
  const notices: string[] = [];
  for (const key of Object.keys(PARAM_SCHEMAS) as (keyof LogViewParams)[]) {
    const value = raw[key];
    if (value === undefined || value === "") continue;
    const input =
      key === "level"
        ? [value]
            .flat()
            .flatMap((entry) => entry.split(","))
            .map((entry) => entry.trim().toUpperCase())
            .filter(Boolean)
            .map((entry) => (entry === "CRITICAL" ? "ERROR" : entry === "WARN" ? "WARNING" : entry))
        : firstOf(value);
    const parsed = PARAM_SCHEMAS[key].safeParse(input);
    if (parsed.success) {
      (params as unknown as Record<string, unknown>)[key] = key === "level" ? [...new Set(parsed.data as FilterLevel[])] : parsed.data;
    } else {
      notices.push(`"${key}" had an invalid value (${String(firstOf(value)).slice(0, 60)}); showing ${DESCRIBE_DEFAULT[key]} instead.`);
    }
  }
  if (!params.pod && params.previous) {
    params.previous = false;
    notices.push("The previous container can only be shown for one pod; showing the current logs instead.");
  }
  return { params, notices };
}

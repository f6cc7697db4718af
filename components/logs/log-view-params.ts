import { z } from "zod";
import type { RawSearchParams } from "@/components/tenants/tenant-list-params";
import { logSourceInput, logSourceToSearch, type LogSourceInput } from "@/lib/logs/log-request";
import { FILTER_LEVELS, type FilterLevel } from "./log-level";

/**
 * The log view keeps its options in the URL so a link shows the same lines. Each parameter is
 * checked on its own: a bad one falls back to its default with a notice, the others still apply.
 */
export const TAIL_VALUES = ["100", "1000", "5000", "all"] as const;
export type TailOption = (typeof TAIL_VALUES)[number];
export const SINCE_PRESETS = ["5m", "1h", "24h"] as const;
export type SincePreset = (typeof SINCE_PRESETS)[number];

export interface LogViewParams {
  pod?: string;
  container?: string;
  tail: TailOption;
  /** "" = from the start of the log, a preset, or an ISO time chosen by the user. */
  since: "" | SincePreset | string;
  ts: boolean;
  wrap: boolean;
  q: string;
  /** Show only the lines that match the search (otherwise matches are highlighted among all lines). */
  filter: boolean;
  regex: boolean;
  case: boolean;
  level: FilterLevel[];
  previous: boolean;
}

export const DEFAULT_LOG_VIEW_PARAMS: LogViewParams = {
  tail: "1000",
  since: "",
  ts: true,
  wrap: false,
  q: "",
  filter: false,
  regex: false,
  case: false,
  level: [],
  previous: false,
};

const SINCE_SECONDS: Record<SincePreset, number> = { "5m": 300, "1h": 3_600, "24h": 86_400 };

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

/** The query string for a view: defaults are left out so links stay short. */
export function logViewSearch(params: LogViewParams): string {
  const search = new URLSearchParams();
  if (params.pod) search.set("pod", params.pod);
  if (params.container) search.set("container", params.container);
  if (params.tail !== DEFAULT_LOG_VIEW_PARAMS.tail) search.set("tail", params.tail);
  if (params.since) search.set("since", params.since);
  if (params.ts !== DEFAULT_LOG_VIEW_PARAMS.ts) search.set("ts", params.ts ? "1" : "0");
  if (params.wrap !== DEFAULT_LOG_VIEW_PARAMS.wrap) search.set("wrap", params.wrap ? "1" : "0");
  if (params.q) search.set("q", params.q);
  if (params.filter) search.set("filter", "1");
  if (params.regex) search.set("regex", "1");
  if (params.case) search.set("case", "1");
  if (params.level.length) search.set("level", params.level.join(","));
  if (params.previous) search.set("previous", "1");
  return search.toString();
}

/** What the server needs to pick the lines (shared by the live stream and the full download). */
export function logSourceOf(tenantId: string, params: LogViewParams): LogSourceInput {
  const source: LogSourceInput = { tenantId, tailLines: params.tail === "all" ? 0 : Number(params.tail) };
  if (params.pod) source.pod = params.pod;
  if (params.container) source.container = params.container;
  if (params.previous && params.pod) source.previous = true;
  if (params.since && params.since in SINCE_SECONDS) source.sinceSeconds = SINCE_SECONDS[params.since as SincePreset];
  else if (params.since) source.sinceTime = params.since;
  return source;
}

export function downloadHrefOf(source: LogSourceInput): string {
  return `/api/logs/download?${logSourceToSearch(source).toString()}`;
}

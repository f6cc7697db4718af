import type { LogSourceInput } from "@/lib/logs/log-request";
import { logSourceToSearch } from "@/lib/logs/log-source-search";
import type { FilterLevel } from "./log-level";

/**
 * The log view keeps its options in the URL so a link shows the same lines. The page's server
 * component reads the URL (parse-log-view-params.ts, with zod); what is here is what the browser
 * needs to write links and ask for lines.
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

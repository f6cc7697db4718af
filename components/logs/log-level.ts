import type { LogLevel } from "./log-types";

/** The levels a user can filter on; CRITICAL is shown and filtered as ERROR. */
export const FILTER_LEVELS = ["ERROR", "WARNING", "INFO", "DEBUG"] as const;
export type FilterLevel = (typeof FILTER_LEVELS)[number];

export function filterLevelOf(level: LogLevel | undefined): FilterLevel | undefined {
  if (!level) return undefined;
  return level === "CRITICAL" ? "ERROR" : level;
}

/**
 * An empty selection means "every level". When some levels are chosen, a line without a level of
 * its own (a traceback's continuation) is judged by the level it inherited from the line above.
 */
export function passesLevelFilter(level: LogLevel | undefined, selected: readonly FilterLevel[]): boolean {
  if (selected.length === 0 || selected.length === FILTER_LEVELS.length) return true;
  const filterLevel = filterLevelOf(level);
  return filterLevel !== undefined && selected.includes(filterLevel);
}

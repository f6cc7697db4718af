export interface SearchOptions {
  query: string;
  regex: boolean;
  caseSensitive: boolean;
}

export type MatchRange = readonly [start: number, end: number];

export type LineMatcher = { ok: true; active: boolean; test(text: string): boolean; ranges(text: string): MatchRange[] } | { ok: false; error: string };

const MAX_RANGES_PER_LINE = 200;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * One compiled matcher per search, reused for every line. A bad pattern is returned as a message
 * rather than thrown: the user is typing it and the list must keep rendering.
 */
export function buildMatcher({ query, regex, caseSensitive }: SearchOptions): LineMatcher {
  if (!query) return { ok: true, active: false, test: () => true, ranges: () => [] };
  let pattern: RegExp;
  try {
    pattern = new RegExp(regex ? query : escapeRegExp(query), caseSensitive ? "gu" : "giu");
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression:\s*/, "") : String(error);
    return { ok: false, error: `Invalid regular expression: ${reason}` };
  }
  return {
    ok: true,
    active: true,
    test(text) {
      pattern.lastIndex = 0;
      return pattern.test(text);
    },
    ranges(text) {
      const found: MatchRange[] = [];
      pattern.lastIndex = 0;
      for (let match = pattern.exec(text); match && found.length < MAX_RANGES_PER_LINE; match = pattern.exec(text)) {
        if (match[0].length === 0) {
          // An empty match (`a*`, `^`) would never advance; step past it and highlight nothing.
          pattern.lastIndex += 1;
          continue;
        }
        found.push([match.index, match.index + match[0].length]);
      }
      return found;
    },
  };
}

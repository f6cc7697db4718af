import type { LogSourceInput } from "@/lib/logs/log-request";

/**
 * A log source as a query string (the download link) and back. Apart from log-request.ts so that
 * the viewer can write a link without zod in the browser; the route checks what it reads back
 * with `logSourceInput`.
 */

/** The download link's query string: the same fields, as text. */
export function logSourceToSearch(source: LogSourceInput): URLSearchParams {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined) search.set(key, String(value));
  }
  return search;
}

/** The reverse, for `logSourceInput` to check: numbers and booleans arrive as text, blanks mean unset. */
export function logSourceFromSearch(search: URLSearchParams): Record<string, unknown> {
  const text = (key: string) => search.get(key) || undefined;
  const number = (key: string) => (search.get(key) ? Number(search.get(key)) : undefined);
  return {
    tenantId: search.get("tenantId") ?? undefined,
    pod: text("pod"),
    container: text("container"),
    previous: search.has("previous") ? ["1", "true"].includes(search.get("previous")!) : undefined,
    tailLines: number("tailLines"),
    sinceSeconds: number("sinceSeconds"),
    sinceTime: text("sinceTime"),
  };
}

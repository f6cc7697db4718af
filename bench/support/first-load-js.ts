// First-load JS per route: the JavaScript files a route's HTML makes the browser fetch before the
// page is interactive (its <script src> tags), each gzip-compressed (level 9, as Next's build
// output measured it) and summed. `<script noModule>` (Next's legacy polyfills, about 39 kB) is
// left out: browsers with ES modules, every one the portal supports, never fetch it. Chunks a page loads later by itself (the command palette once
// idle, a dialog on click) are not first-load JS and are not counted; the inline RSC payload
// is data, reported beside the total as `inlineBytes`.
import { gzipSync } from "node:zlib";

import type { PortalClient } from "../../scripts/lib/portal-client";
import type { MetricRow } from "./report";

/** Issue 14's budget: every route's first-load JS at most this many kB (1 kB = 1,000 bytes). */
export const FIRST_LOAD_JS_BUDGET_KB = 170;

export interface RouteJs {
  route: string;
  /** The path measured (the route with its ids filled in). */
  path: string;
  files: number;
  rawBytes: number;
  gzipBytes: number;
  /** Inline <script> bodies (the RSC payload, the theme script), uncompressed. */
  inlineBytes: number;
  /** The largest files, for finding what to cut. */
  largest: { file: string; gzipBytes: number }[];
}

const SCRIPT_SRC = /<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g;
const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g;

function unescapeHtml(value: string): string {
  return value
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'");
}

/** The external scripts a page's HTML makes a modern browser fetch, each once, in order. */
export function scriptSources(html: string): string[] {
  return [...new Set([...html.matchAll(SCRIPT_SRC)].filter((match) => !/\bnomodule\b/i.test(match[0])).map((match) => unescapeHtml(match[1])))];
}

/** Measures each route in turn; one file fetched for several routes is fetched once. */
export async function measureFirstLoadJs(client: PortalClient, routes: { route: string; path: string }[]): Promise<RouteJs[]> {
  const sizes = new Map<string, { raw: number; gzip: number }>();
  const sizeOf = async (src: string) => {
    const url = new URL(src, client.url).toString();
    let size = sizes.get(url);
    if (!size) {
      const response = await fetch(url, { headers: { cookie: client.cookieHeader } });
      if (!response.ok) throw new Error(`GET ${url} → ${response.status}`);
      const body = Buffer.from(await response.arrayBuffer());
      size = { raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
      sizes.set(url, size);
    }
    return size;
  };
  const results: RouteJs[] = [];
  for (const { route, path } of routes) {
    const html = await client.html(path);
    const sources = scriptSources(html);
    const files = await Promise.all(sources.map(async (src) => ({ file: src.replace(/^.*\/_next\/static\//, ""), ...(await sizeOf(src)) })));
    results.push({
      route,
      path,
      files: files.length,
      rawBytes: files.reduce((sum, file) => sum + file.raw, 0),
      gzipBytes: files.reduce((sum, file) => sum + file.gzip, 0),
      inlineBytes: [...html.matchAll(INLINE_SCRIPT)].reduce((sum, match) => sum + match[1].length, 0),
      largest: files
        .sort((a, b) => b.gzip - a.gzip)
        .slice(0, 5)
        .map((file) => ({ file: file.file, gzipBytes: file.gzip })),
    });
  }
  return results;
}

/** One table row per route, failing above the budget. */
export function firstLoadJsRows(measured: RouteJs[], budgetKb = FIRST_LOAD_JS_BUDGET_KB): MetricRow[] {
  return measured.map((route) => {
    const kb = route.gzipBytes / 1000;
    return {
      metric: `first-load JS ${route.route} (${route.files} files)`,
      value: `${kb.toFixed(1)} kB`,
      target: `≤ ${budgetKb} kB`,
      verdict: kb <= budgetKb ? "PASS" : "FAIL",
    };
  });
}

/**
 * The routes to measure, with ids from the running portal where a route needs one; a route whose
 * kind of record does not exist (no run yet) is left out and said so in `skipped`.
 */
export async function firstLoadRoutes(
  client: PortalClient,
  ids: { tenantId?: string },
): Promise<{ routes: { route: string; path: string }[]; skipped: string[] }> {
  const routes = [
    { route: "/", path: "/" },
    { route: "/tenants", path: "/tenants" },
    { route: "/runs", path: "/runs" },
    { route: "/migration", path: "/migration" },
    { route: "/migration/waves", path: "/migration/waves" },
    { route: "/migration/gates", path: "/migration/gates" },
    { route: "/audit", path: "/audit" },
    { route: "/users", path: "/users" },
    { route: "/registry", path: "/registry" },
    { route: "/tokens", path: "/tokens" },
    { route: "/diagnostics", path: "/diagnostics" },
  ];
  const skipped: string[] = [];
  if (ids.tenantId) {
    routes.push({ route: "/tenants/[id]", path: `/tenants/${ids.tenantId}` }, { route: "/tenants/[id]/logs", path: `/tenants/${ids.tenantId}/logs` });
  } else skipped.push("/tenants/[id] and /tenants/[id]/logs: no tenant");
  const fleet = await client.query<{ orphans: { instanceId: string }[] }>("fleet.summary");
  if (fleet.orphans[0]) routes.push({ route: "/orphans/[id]", path: `/orphans/${fleet.orphans[0].instanceId}` });
  else skipped.push("/orphans/[id]: the fleet has no orphan");
  const runs = await client.query<{ runs: { id: string }[] }>("runbooks.list", { limit: 1 }).catch(() => ({ runs: [] }));
  if (runs.runs[0]) routes.push({ route: "/runs/[id]", path: `/runs/${runs.runs[0].id}` });
  else skipped.push("/runs/[id]: no run yet");
  const waves = await client.query<{ id: string }[]>("migration.waves.list").catch(() => []);
  if (Array.isArray(waves) && waves[0]) routes.push({ route: "/migration/waves/[id]", path: `/migration/waves/${waves[0].id}` });
  else skipped.push("/migration/waves/[id]: no wave yet");
  return { routes, skipped };
}

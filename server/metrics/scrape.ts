import "server-only";

import { createHash, timingSafeEqual } from "node:crypto";

import { Gauge } from "prom-client";

import { env } from "@/server/env";
import { serverLog } from "@/server/log";
import { oncePerProcess } from "@/server/process-singleton";
import { runtime } from "@/server/runtime";
import { portalMetrics } from "./portal-metrics";

/**
 * The state half of /metrics, read when Prometheus scrapes: the watch cache per cluster and kind,
 * the log streams this process holds open, and, from the shared database (so the same on every
 * replica), the runbook runs by runbook and state and the sessions signed in now.
 */
function stateGauges(): void {
  oncePerProcess("fleetdeck.metrics.state", () => {
    const registers = [portalMetrics().registry];
    const feeds = () =>
      runtime()
        .clusters.all()
        .flatMap((cluster) => cluster.freshness().map((feed) => ({ cluster: cluster.name, feed })));
    new Gauge({
      name: "fleetdeck_cache_objects",
      help: "Objects in this process's watch cache, by cluster and kind.",
      labelNames: ["cluster", "kind"] as const,
      registers,
      collect() {
        this.reset();
        for (const { cluster, feed } of feeds()) this.set({ cluster, kind: feed.kind }, feed.objects);
      },
    });
    new Gauge({
      name: "fleetdeck_cache_synced",
      help: "1 when the kind has listed and its watch is current (not stale), by cluster and kind.",
      labelNames: ["cluster", "kind"] as const,
      registers,
      collect() {
        this.reset();
        for (const { cluster, feed } of feeds()) this.set({ cluster, kind: feed.kind }, feed.synced && !feed.stale ? 1 : 0);
      },
    });
    new Gauge({
      name: "fleetdeck_cache_last_event_age_seconds",
      help: "Seconds since the kind's watch last delivered an event or bookmark, by cluster and kind.",
      labelNames: ["cluster", "kind"] as const,
      registers,
      collect() {
        this.reset();
        const now = Date.now();
        for (const { cluster, feed } of feeds()) {
          if (feed.lastEventAt) this.set({ cluster, kind: feed.kind }, Math.max(0, (now - Date.parse(feed.lastEventAt)) / 1000));
        }
      },
    });
    new Gauge({
      name: "fleetdeck_log_streams_open",
      help: "Container log streams this process holds open to Kubernetes (one per followed container, shared by its viewers), by cluster.",
      labelNames: ["cluster"] as const,
      registers,
      collect() {
        this.reset();
        for (const { cluster, open } of runtime().logStreamsOpen()) this.set({ cluster }, open);
      },
    });
    new Gauge({
      name: "fleetdeck_runbook_runs",
      help: "Runbook runs recorded in the database, by runbook and state (the same on every replica).",
      labelNames: ["runbook", "state"] as const,
      registers,
      async collect() {
        const groups = await runtime().db.runbookRun.groupBy({ by: ["runbookId", "state"], where: { state: { not: "planned" } }, _count: { _all: true } });
        this.reset();
        for (const group of groups) this.set({ runbook: group.runbookId, state: group.state }, group._count._all);
      },
    });
    new Gauge({
      name: "fleetdeck_sessions_active",
      help: "Sign-in sessions neither revoked nor past their absolute expiry (the same on every replica).",
      registers,
      async collect() {
        this.set(await runtime().db.session.count({ where: { revokedAt: null, expiresAt: { gt: new Date() } } }));
      },
    });
    return true;
  });
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** Whether the request carries METRICS_TOKEN as its bearer token (compared in constant time). */
export function metricsAuthorized(authorization: string | null, token: string): boolean {
  const presented = /^Bearer (.+)$/i.exec(authorization ?? "")?.[1] ?? "";
  return timingSafeEqual(digest(presented), digest(token));
}

export async function scrapeMetrics(request: Request): Promise<Response> {
  const token = env.METRICS_TOKEN;
  const text = (status: number, message: string, headers: Record<string, string> = {}) =>
    new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers } });
  if (!token) return text(404, "Metrics are off. Set METRICS_TOKEN (16 characters or more) and scrape with Authorization: Bearer <token>.");
  if (!metricsAuthorized(request.headers.get("authorization"), token)) {
    return text(401, "Send METRICS_TOKEN as Authorization: Bearer <token>.", { "www-authenticate": 'Bearer realm="fleetdeck-metrics"' });
  }
  stateGauges();
  const { registry } = portalMetrics();
  try {
    return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
  } catch (error) {
    serverLog().error({ err: error }, "metrics scrape failed");
    return text(503, "The metrics could not be read now (the database did not answer). Try the next scrape.");
  }
}

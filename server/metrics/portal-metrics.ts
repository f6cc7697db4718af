import "server-only";

import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

import { oncePerProcess } from "@/server/process-singleton";

/**
 * The portal's Prometheus metrics, one registry per process (every bundle's copy of this module
 * finds the same one). Counters and histograms are recorded where things happen (the tRPC
 * middleware, the route handlers, the Kubernetes client, the watch loop); what is a state rather
 * than an event (cache objects, open log streams, runs, sessions) is read when Prometheus scrapes
 * (server/metrics/scrape.ts). Each replica reports its own: its own requests and watches.
 */
export interface PortalMetrics {
  registry: Registry;
  trpcDuration: Histogram<"procedure" | "type" | "code">;
  routeDuration: Histogram<"route" | "method" | "status">;
  kubeRequests: Counter<"cluster" | "verb" | "code">;
  watchEvents: Counter<"cluster" | "resource" | "event">;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function portalMetrics(): PortalMetrics {
  return oncePerProcess("fleetdeck.metrics", () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: "fleetdeck_" });
    return {
      registry,
      trpcDuration: new Histogram({
        name: "fleetdeck_trpc_request_duration_seconds",
        help: "Time to answer a tRPC procedure (subscriptions: until the stream opens), by procedure, type and outcome code.",
        labelNames: ["procedure", "type", "code"] as const,
        buckets: SECONDS,
        registers: [registry],
      }),
      routeDuration: new Histogram({
        name: "fleetdeck_route_request_duration_seconds",
        help: "Time to answer one of the portal's own route handlers (exports, downloads, logs, the migration API), by route, method and status.",
        labelNames: ["route", "method", "status"] as const,
        buckets: SECONDS,
        registers: [registry],
      }),
      kubeRequests: new Counter({
        name: "fleetdeck_kube_api_requests_total",
        help: "Requests to the Kubernetes API by cluster, verb (get, watch, patch, post, put, delete) and HTTP status (or the transport error kind).",
        labelNames: ["cluster", "verb", "code"] as const,
        registers: [registry],
      }),
      watchEvents: new Counter({
        name: "fleetdeck_watch_events_total",
        help: "The watch cache's feeds: relists (a full list after the first, e.g. on 410 Gone) and restarts (a broken or silent watch), by cluster and resource.",
        labelNames: ["cluster", "resource", "event"] as const,
        registers: [registry],
      }),
    };
  });
}

/** The request's verb as the metric labels it: the method, and "watch" for a watching GET. */
export function kubeVerb(method: string, query: Record<string, unknown> | undefined): string {
  if (method === "GET" && (query?.watch === true || query?.watch === "true" || query?.watch === 1)) return "watch";
  return method.toLowerCase();
}

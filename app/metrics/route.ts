import { scrapeMetrics } from "@/server/metrics/scrape";

// Prometheus' scrape target: behind METRICS_TOKEN (a bearer token), not behind a session.
export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return scrapeMetrics(request);
}

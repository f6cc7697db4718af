// A fixed-concurrency load run with autocannon. Latency percentiles are computed here from every
// response time (autocannon's own summary has p97.5 but no p95, and counts in whole milliseconds).
import autocannon from "autocannon";
import { summarize, type LatencySummary } from "./report";

export interface LoadResult {
  name: string;
  url: string;
  connections: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  statusCounts: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Responses that were not 2xx: when this is not 0 the latencies describe errors, not work. */
  non2xx: number;
}

export async function runLoad(options: {
  name: string;
  url: string;
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    headers: options.headers,
    timeout: 30,
  });
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
    latencies.push(responseTimeMs);
    statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  return {
    name: options.name,
    url: options.url,
    connections: options.connections,
    durationSeconds: result.duration,
    requests: latencies.length,
    requestsPerSecond: latencies.length / result.duration,
    latencyMs: summarize(latencies),
    statusCounts,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}

import "server-only";
import type { Readable } from "node:stream";
import type { KubeConfig } from "@kubernetes/client-node";
import { kubeGet } from "./client";

/**
 * The pod log endpoint (GET /api/v1/namespaces/{ns}/pods/{pod}/log) as raw bytes. What the bytes
 * mean (kubelet timestamps, resume, overlap) is the log viewer's business, not this module's.
 */

/** The endpoint's query parameters; unset ones and false flags are left out (the API's defaults). */
export interface PodLogOptions {
  container: string;
  follow?: boolean;
  /** Prefix every line with its RFC 3339 nanosecond timestamp. */
  timestamps?: boolean;
  /** The previous (terminated) instance of the container. */
  previous?: boolean;
  /** The API accepts sinceTime or sinceSeconds, not both; sinceTime has second precision. */
  sinceTime?: string;
  sinceSeconds?: number;
  tailLines?: number;
  limitBytes?: number;
}

export interface PodLogRequest {
  path: string;
  query: Record<string, string | number | boolean>;
}

export function podLogRequest(namespace: string, pod: string, options: PodLogOptions): PodLogRequest {
  const query: PodLogRequest["query"] = { container: options.container };
  if (options.follow) query.follow = true;
  if (options.timestamps) query.timestamps = true;
  if (options.previous) query.previous = true;
  if (options.sinceTime !== undefined) query.sinceTime = options.sinceTime;
  if (options.sinceSeconds !== undefined) query.sinceSeconds = options.sinceSeconds;
  if (options.tailLines !== undefined) query.tailLines = options.tailLines;
  if (options.limitBytes !== undefined) query.limitBytes = options.limitBytes;
  return { path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`, query };
}

/**
 * Opens the log and resolves once the API answered 2xx, with the body as a stream of chunks;
 * any other answer rejects with a KubeError carrying the API's Status message. The caller owns
 * the stream: destroying it closes the connection.
 */
export async function openPodLog(
  kubeConfig: KubeConfig,
  namespace: string,
  pod: string,
  options: PodLogOptions,
  request: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<Readable> {
  const { path, query } = podLogRequest(namespace, pod, options);
  return kubeGet(kubeConfig, path, { query, signal: request.signal, timeoutMs: request.timeoutMs });
}

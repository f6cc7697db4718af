import "server-only";
import http from "node:http";
import https from "node:https";
import { KubeConfig } from "@kubernetes/client-node";
import { env, type ClusterConfig, type KubeconfigSource } from "@/server/env";
import { kubeVerb, portalMetrics } from "@/server/metrics/portal-metrics";
import { KubeError, kubeErrorFromStatus, toKubeError } from "./kube-error";

/**
 * The ONLY place that builds a connection to Kubernetes. Requests go through node:http(s) with the
 * options client-node derives from the kubeconfig (certificates, bearer tokens, exec plugins), so
 * we keep access to status codes, Retry-After and the streaming body that watches need.
 */

/** How every cluster's cache reads its cluster. */
export interface KubeSettings {
  tenantLabelKey: string;
  watchSilenceTimeoutMs: number;
}

export function kubeSettings(): KubeSettings {
  return {
    tenantLabelKey: env.TENANT_LABEL_KEY,
    watchSilenceTimeoutMs: env.WATCH_SILENCE_TIMEOUT_SECONDS * 1000,
  };
}

/** A cluster the portal reads: its name as the registry's `tenant.cluster` spells it, and how to reach it. */
export interface ClusterConnection {
  name: string;
  kubeConfig: KubeConfig;
}

/**
 * The clusters the configuration names (env.CLUSTERS): the one kubeconfig env.ts resolved under
 * FLEETDECK_CLUSTER_NAME, or each context of FLEETDECK_CLUSTERS and each file of
 * FLEETDECK_KUBECONFIG_DIR. A context the kubeconfig lacks fails here, at start-up, naming the
 * contexts there are, rather than as a cluster that never answers.
 */
export function configuredClusters(): ClusterConnection[] {
  return clusterConnections(env.CLUSTERS);
}

export function clusterConnections(clusters: readonly ClusterConfig[]): ClusterConnection[] {
  const loaded = new Map<string, KubeConfig>();
  return clusters.map((cluster) => {
    const key = JSON.stringify(cluster.kubeconfig);
    let base = loaded.get(key);
    if (!base) {
      base = loadKubeConfig(cluster.kubeconfig);
      loaded.set(key, base);
    }
    const kubeConfig = withContext(base, cluster);
    portalClusterNames.set(kubeConfig, cluster.name);
    return { name: cluster.name, kubeConfig };
  });
}

/**
 * The portal's name of each configured connection, for the `cluster` label of the request
 * metrics: two kubeconfigs may both call their cluster "kubernetes". A KubeConfig made elsewhere
 * (tests, scripts) is labelled by its kubeconfig cluster's name.
 */
const portalClusterNames = new WeakMap<KubeConfig, string>();

/** A copy of the kubeconfig whose current context is the cluster's, so clusters sharing a file never share a context. */
function withContext(base: KubeConfig, cluster: ClusterConfig): KubeConfig {
  const where = cluster.kubeconfig.kind === "file" ? cluster.kubeconfig.path : "the default kubeconfig";
  const contextName = cluster.context ?? base.getCurrentContext();
  const context = base.getContextObject(contextName);
  if (!context) {
    const known =
      base
        .getContexts()
        .map((c) => `"${c.name}"`)
        .join(", ") || "none";
    throw new Error(
      cluster.context
        ? `cluster "${cluster.name}": the context "${cluster.context}" is not in ${where} (contexts: ${known})`
        : `cluster "${cluster.name}": ${where} has no current context (contexts: ${known})`,
    );
  }
  if (!base.getCluster(context.cluster))
    throw new Error(`cluster "${cluster.name}": the context "${contextName}" names the cluster "${context.cluster}", which ${where} lacks`);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({ clusters: base.clusters, users: base.users, contexts: base.contexts, currentContext: contextName });
  return kubeConfig;
}

/** A kubeconfig file, the in-cluster config, or client-node's default (~/.kube/config), as env.ts resolved it. */
function loadKubeConfig(source: KubeconfigSource): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (source.kind === "file") kubeConfig.loadFromFile(source.path);
  else if (source.kind === "in-cluster") kubeConfig.loadFromCluster();
  else kubeConfig.loadFromDefault();
  return kubeConfig;
}

export interface KubeRequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
  /** Time allowed until the response headers arrive. */
  timeoutMs?: number;
}

/**
 * Plain-http API servers (a local proxy, the simulator) share one keep-alive agent. Every watch and
 * every followed log holds a socket for as long as it runs, so the pool is sized for the cache's
 * watches and polls plus the log-stream cap: a followed log past a fixed 64 would have queued
 * silently behind the others instead of getting the cap's message.
 */
const plainAgent = new http.Agent({ keepAlive: true, maxSockets: 64 + env.LOG_MAX_UPSTREAM_STREAMS });

/**
 * GET a path from the API server. Resolves with the response once headers arrived with a 2xx
 * status; any other status is read and thrown as a KubeError carrying the API's Status message.
 */
export function kubeGet(kubeConfig: KubeConfig, apiPath: string, options: KubeRequestOptions = {}): Promise<http.IncomingMessage> {
  return send(kubeConfig, "GET", apiPath, options);
}

export interface KubeWriteOptions extends KubeRequestOptions {
  body?: unknown;
  /** Content-Type of the JSON body (a PATCH names its patch type). */
  contentType?: string;
}

/**
 * A mutating request (PATCH, POST, DELETE) with a JSON body; resolves with the status and the
 * parsed answer, rejects like kubeGet. `timeoutMs` covers the whole exchange.
 */
export async function kubeWrite(
  kubeConfig: KubeConfig,
  method: "PATCH" | "POST" | "DELETE" | "PUT",
  apiPath: string,
  options: KubeWriteOptions = {},
): Promise<{ status: number; body: unknown }> {
  const started = Date.now();
  const response = await send(kubeConfig, method, apiPath, options);
  return { status: response.statusCode ?? 0, body: await readJson(response, apiPath, options, started) };
}

async function send(kubeConfig: KubeConfig, method: string, apiPath: string, options: KubeWriteOptions): Promise<http.IncomingMessage> {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new KubeError({ kind: "unreachable", apiMessage: "the kubeconfig has no current cluster" });
  const labels = { cluster: portalClusterNames.get(kubeConfig) ?? cluster.name, verb: kubeVerb(method, options.query) };
  try {
    const response = await sendTo(cluster.server, kubeConfig, method, apiPath, options);
    portalMetrics().kubeRequests.inc({ ...labels, code: String(response.statusCode ?? 0) });
    return response;
  } catch (error) {
    const code = error instanceof KubeError ? (error.status ? String(error.status) : error.kind) : options.signal?.aborted ? "aborted" : "error";
    portalMetrics().kubeRequests.inc({ ...labels, code });
    throw error;
  }
}

async function sendTo(server: string, kubeConfig: KubeConfig, method: string, apiPath: string, options: KubeWriteOptions): Promise<http.IncomingMessage> {
  const url = new URL(server.replace(/\/$/, "") + apiPath);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  const headers: Record<string, string> = { Accept: "application/json", "User-Agent": "fleetdeck-portal" };
  if (payload) {
    headers["Content-Type"] = options.contentType ?? "application/json";
    headers["Content-Length"] = String(payload.length);
  }
  const requestOptions: https.RequestOptions = { headers };
  await kubeConfig.applyToHTTPSOptions(requestOptions);
  const isHttps = url.protocol === "https:";
  if (!isHttps) requestOptions.agent = plainAgent;
  const transport = isHttps ? https : http;

  return new Promise((resolve, reject) => {
    const request = transport.request(url, { ...requestOptions, method, signal: options.signal });
    const timer = options.timeoutMs
      ? setTimeout(() => {
          request.destroy(Object.assign(new Error("request timed out"), { name: "TimeoutError" }));
        }, options.timeoutMs)
      : undefined;
    request.on("error", (error) => {
      clearTimeout(timer);
      if (options.signal?.aborted) reject(options.signal.reason ?? error);
      else reject(toKubeError(error, apiPath));
    });
    request.on("response", (response) => {
      // The caller reads the body under a timer of its own (readJson, or a stream's).
      clearTimeout(timer);
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) {
        resolve(response);
        return;
      }
      readBody(response)
        .then((text) => {
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          const retryAfter = response.headers["retry-after"];
          reject(kubeErrorFromStatus(status, body, { retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, path: apiPath }));
        })
        .catch((error) => reject(toKubeError(error, apiPath)));
    });
    request.end(payload);
  });
}

/** GET and parse JSON; `timeoutMs` covers the whole exchange, so a body that stalls midway fails too. */
export async function kubeGetJson<T>(kubeConfig: KubeConfig, apiPath: string, options: KubeRequestOptions = {}): Promise<T> {
  const started = Date.now();
  const response = await kubeGet(kubeConfig, apiPath, options);
  return (await readJson(response, apiPath, options, started)) as T;
}

/** Reads and parses a JSON body within what is left of `timeoutMs`; an empty body is undefined. */
async function readJson(response: http.IncomingMessage, apiPath: string, options: KubeRequestOptions, started: number): Promise<unknown> {
  const remaining = options.timeoutMs ? Math.max(1, options.timeoutMs - (Date.now() - started)) : undefined;
  const timer = remaining
    ? setTimeout(() => response.destroy(Object.assign(new Error("response body timed out"), { name: "TimeoutError" })), remaining)
    : undefined;
  let text: string;
  try {
    text = await readBody(response);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    throw toKubeError(error, apiPath);
  } finally {
    clearTimeout(timer);
  }
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new KubeError({ kind: "bad-response", apiMessage: "body is not JSON", path: apiPath, cause });
  }
}

async function readBody(response: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

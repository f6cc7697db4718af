import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { FaultState } from "../faults/fault-state";
import { RequestStats } from "../faults/request-stats";
import type { LogStore } from "../logs/log-store";
import type { SimHooks } from "../runtime";
import { ApiError, badRequest, methodNotAllowed, notFound, unauthorized } from "../store/api-error";
import type { ObjectStore } from "../store/object-store";
import { resourceFor } from "../store/resources";
import type { KubeObject, ResourceType } from "../store/types";
import { authorize, forbidden, MASTERS, requestAttributes, TokenAuthenticator, type UserInfo } from "./authorization";
import { handleControl } from "./control-routes";
import { managerOf } from "./managed-fields";
import { apiGroup, apiGroupList, apiResourceList, apiVersions, METRICS_GROUP, METRICS_VERSION, VERSION_INFO } from "./discovery";
import { boolParam, parseJsonBody, readBody, sendError, sendJson, sendJsonText, sendText } from "./http-util";
import { LogStreams, servePodLog } from "./pod-logs";
import { serveNodeProxy, serveServiceProxy } from "./proxy";
import { ResourceHandlers } from "./resource-handlers";
import { parseLabelSelector } from "./selectors";
import { WatchHub } from "./watch";

export interface ApiServerOptions {
  store: ObjectStore;
  logs: LogStore;
  hooks: SimHooks;
  token: string;
  bookmarkIntervalMs?: number;
}

interface RouteInfo {
  resource: ResourceType;
  key: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** path after "/proxy/" for proxy subresources */
  rest?: string;
}

const PUBLIC_PATHS = new Set(["/healthz", "/livez", "/readyz"]);
const NOT_FOUND = () => new ApiError(404, "NotFound", "the server could not find the requested resource");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function verbOf(method: string, route: RouteInfo | undefined, query: URLSearchParams): string {
  const watch = boolParam(query.get("watch"));
  switch (method) {
    case "GET":
      if (watch) return "watch";
      return route && !route.name ? "list" : "get";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return route && !route.name ? "deletecollection" : "delete";
    default:
      return method.toLowerCase();
  }
}

/** The Kubernetes HTTP API over an ObjectStore: auth, discovery, CRUD, watch, logs, proxies, faults. */
export class ApiServer {
  readonly server: Server;
  readonly store: ObjectStore;
  readonly logs: LogStore;
  readonly hooks: SimHooks;
  readonly faults = new FaultState();
  readonly stats = new RequestStats();
  readonly watches: WatchHub;
  readonly logStreams = new LogStreams();
  private handlers: ResourceHandlers;
  private sockets = new Set<Socket>();
  readonly authenticator: TokenAuthenticator;
  private address?: { port: number; host: string };
  private insecureServer?: Server;
  private insecureAddress?: { port: number; host: string };
  private refuseTimer?: NodeJS.Timeout;
  refusingUntil = 0;

  constructor(opts: ApiServerOptions) {
    this.store = opts.store;
    this.logs = opts.logs;
    this.hooks = opts.hooks;
    this.authenticator = new TokenAuthenticator(opts.store, opts.token);
    this.watches = new WatchHub(opts.store, opts.bookmarkIntervalMs);
    this.handlers = new ResourceHandlers(opts.store, this.watches);
    this.server = this.createHttpServer(true);
  }

  private createHttpServer(requireToken: boolean): Server {
    const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
      this.handle(req, res, requireToken).catch((err) => sendError(res, err));
    });
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    server.on("clientError", (_err, socket) => {
      if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
      else socket.destroy();
    });
    return server;
  }

  /**
   * An unauthenticated listener, like kube-apiserver's old --insecure-port: kubectl (client-go) never sends a
   * bearer token to an http:// server, so kubectl needs this port to talk to the simulator.
   */
  listenInsecure(port: number, host: string): Promise<string> {
    this.insecureServer ??= this.createHttpServer(false);
    const server = this.insecureServer;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        const a = server.address() as AddressInfo;
        this.insecureAddress = { port: a.port, host };
        resolve(`http://${host.includes(":") ? `[${host}]` : host}:${a.port}`);
      });
    });
  }

  get url(): string {
    if (!this.address) throw new Error("server not listening");
    const host = this.address.host.includes(":") ? `[${this.address.host}]` : this.address.host;
    return `http://${host}:${this.address.port}`;
  }

  listen(port: number, host: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once("error", onError);
      this.server.listen(port, host, () => {
        this.server.off("error", onError);
        const a = this.server.address() as AddressInfo;
        this.address = { port: a.port, host };
        resolve(this.url);
      });
    });
  }

  async close(): Promise<void> {
    clearTimeout(this.refuseTimer);
    this.watches.stop();
    this.logStreams.dropAll();
    for (const s of this.sockets) s.destroy();
    const insecure = this.insecureServer;
    if (insecure?.listening) await new Promise<void>((r) => insecure.close(() => r()));
    if (this.server.listening) await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Refuses connections for a while, as an apiserver restart does: the port closes and existing sockets drop. */
  refuse(seconds: number): void {
    if (!this.address) return;
    const { port, host } = this.address;
    this.refusingUntil = Date.now() + seconds * 1000;
    this.watches.dropAll();
    this.logStreams.dropAll();
    const insecure = this.insecureServer?.listening ? { server: this.insecureServer, ...this.insecureAddress! } : undefined;
    this.server.close();
    insecure?.server.close();
    for (const s of this.sockets) s.destroy();
    clearTimeout(this.refuseTimer);
    const reopen = (attempt: number) => {
      this.server.listen(port, host).once("error", () => {
        if (attempt < 50) this.refuseTimer = setTimeout(() => reopen(attempt + 1), 100);
      });
      if (attempt === 0) insecure?.server.listen(insecure.port, insecure.host);
      this.refusingUntil = 0;
    };
    this.refuseTimer = setTimeout(() => reopen(0), seconds * 1000);
  }

  private async handle(req: IncomingMessage, res: ServerResponse, requireToken: boolean): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sim");
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    const method = req.method ?? "GET";

    if (PUBLIC_PATHS.has(path) || path.startsWith("/readyz/") || path.startsWith("/livez/") || path.startsWith("/healthz/")) {
      sendText(res, 200, "ok");
      return;
    }
    // The unauthenticated port is the old --insecure-port: no authentication, no authorization.
    const user: UserInfo | undefined = requireToken ? this.authenticator.authenticate(req.headers.authorization) : MASTERS;
    if (!user) {
      // Drain the body so keep-alive connections stay usable.
      req.resume();
      throw unauthorized();
    }
    const attributes = requestAttributes(method, path, url.searchParams);
    if (!authorize(this.store, user, attributes)) {
      req.resume();
      throw forbidden(user, attributes);
    }
    if (path.startsWith("/_sim/")) {
      await handleControl(this, path.slice("/_sim/".length), method, req, res);
      return;
    }

    let segments: string[];
    try {
      segments = path
        .split("/")
        .filter(Boolean)
        .map((s) => decodeURIComponent(s));
    } catch {
      req.resume();
      throw badRequest(`invalid URL escape in path "${path}"`);
    }
    const route = this.route(segments);
    const verb = verbOf(method, route ?? undefined, url.searchParams);
    const resourceLabel = route
      ? route.subresource
        ? `${route.resource.plural}/${route.subresource}`
        : route.resource.plural
      : segments[0] === "apis" && segments[1] === METRICS_GROUP
        ? `${segments[segments.length - 1]}.metrics`
        : path;
    this.stats.record(verb, resourceLabel, req.headers["user-agent"]);

    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
    const held = this.watches.requestsHeldForMs();
    if (held > 0) await sleep(held);
    const fault = this.faults.pick();
    if (fault) {
      req.resume();
      throw fault;
    }

    if (route === null) return this.nonResource(segments, method, url.searchParams, req, res);
    if (route === undefined) throw NOT_FOUND();
    const ctx = { ...route, query: url.searchParams, req, res };

    if (route.subresource === "log" && route.key === "core/pods") {
      if (method !== "GET") throw methodNotAllowed();
      servePodLog(this.store, this.logs, this.logStreams, route.namespace!, route.name!, url.searchParams, res);
      return;
    }
    if (route.subresource === "proxy") {
      if (route.key === "core/services") return serveServiceProxy(this.store, route.namespace!, route.name!, route.rest ?? "", method, res);
      if (route.key === "core/nodes") return serveNodeProxy(this.store, this.hooks, route.name!, route.rest ?? "", res);
      throw NOT_FOUND();
    }
    if (route.subresource && !(route.resource.subresources ?? []).includes(route.subresource)) throw NOT_FOUND();
    if (route.subresource === "token" && route.key === "core/serviceaccounts") {
      if (method !== "POST") throw methodNotAllowed();
      const body = parseJsonBody(await readBody(req), "TokenRequest") as Record<string, unknown>;
      sendJson(res, 201, this.authenticator.tokenRequest(route.namespace!, route.name!, body, managerOf(url.searchParams, req.headers["user-agent"])));
      return;
    }
    await this.handlers.handle(ctx);
  }

  /**
   * Resource routes: /api/v1/..., /apis/<g>/<v>/... (undefined = unknown resource, null = not a resource path).
   * The legacy /watch/ prefix is accepted too.
   */
  private route(segments: string[]): RouteInfo | undefined | null {
    let group: string;
    let version: string;
    let rest: string[];
    if (segments[0] === "api" && segments.length >= 3) {
      group = "";
      version = segments[1]!;
      rest = segments.slice(2);
    } else if (segments[0] === "apis" && segments.length >= 4) {
      group = segments[1]!;
      version = segments[2]!;
      rest = segments.slice(3);
      if (group === METRICS_GROUP) return null;
    } else return null;
    if (rest[0] === "watch") rest = rest.slice(1);
    let namespace: string | undefined;
    if (rest[0] === "namespaces" && rest.length >= 3 && !(rest.length === 3 && (rest[2] === "status" || rest[2] === "finalize"))) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name, subresource, ...tail] = rest;
    if (!plural) return undefined;
    const resource = resourceFor(group, version, plural);
    if (!resource) return undefined;
    if (namespace !== undefined && !resource.namespaced) return undefined;
    if (tail.length > 0 && subresource !== "proxy") return undefined;
    return { resource, key: `${group || "core"}/${plural}`, namespace, name, subresource, rest: subresource === "proxy" ? tail.join("/") : undefined };
  }

  private nonResource(segments: string[], method: string, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): void {
    const path = `/${segments.join("/")}`;
    if (method !== "GET") {
      req.resume();
      if (["/version", "/api", "/apis", "/api/v1"].includes(path)) throw methodNotAllowed();
    }
    if (path === "/version") return sendJson(res, 200, VERSION_INFO);
    if (path === "/api") return sendJson(res, 200, apiVersions(req.headers.host ?? "127.0.0.1"));
    if (path === "/apis") return sendJson(res, 200, apiGroupList());
    if (path === "/api/v1") return sendJson(res, 200, apiResourceList("v1"));
    if (segments[0] === "apis" && segments.length === 2) {
      const g = apiGroup(segments[1]!);
      if (g) return sendJson(res, 200, g);
    }
    if (segments[0] === "apis" && segments.length === 3) {
      const list = apiResourceList(`${segments[1]}/${segments[2]}`);
      if (list) return sendJson(res, 200, list);
    }
    if (segments[0] === "apis" && segments[1] === METRICS_GROUP && segments[2] === METRICS_VERSION) return this.metrics(segments.slice(3), query, res);
    if (path === "/openapi/v2" || path.startsWith("/openapi/v3")) throw NOT_FOUND();
    throw NOT_FOUND();
  }

  private metrics(rest: string[], query: URLSearchParams, res: ServerResponse): void {
    let namespace: string | undefined;
    if (rest[0] === "namespaces" && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name] = rest;
    const selector = parseLabelSelector(query.get("labelSelector"));
    let items: KubeObject[];
    let kind: string;
    if (plural === "pods") {
      items = this.hooks.podMetrics(namespace);
      kind = "PodMetrics";
    } else if (plural === "nodes" && namespace === undefined) {
      items = this.hooks.nodeMetrics();
      kind = "NodeMetrics";
    } else throw NOT_FOUND();
    if (name) {
      const item = items.find((i) => i.metadata.name === name && (namespace === undefined || i.metadata.namespace === namespace));
      if (!item) throw notFound(plural, name, METRICS_GROUP);
      return sendJson(res, 200, item);
    }
    if (selector) items = items.filter((i) => selector(i.metadata.labels));
    sendJsonText(res, 200, JSON.stringify({ kind: `${kind}List`, apiVersion: `${METRICS_GROUP}/${METRICS_VERSION}`, metadata: {}, items }));
  }
}

import type { ServerResponse } from "node:http";
import type { INodeAddress, INodeCondition, IPodCondition } from "kubernetes-models/v1";
import { ApiError, notFound, serviceUnavailable } from "../store/api-error";
import type { ObjectStore } from "../store/object-store";
import type { SimHooks } from "../runtime";
import type { KubeObject } from "../store/types";
import { sendJson, sendText } from "./http-util";

function isReady(pod: KubeObject): boolean {
  return !pod.metadata.deletionTimestamp && (pod.status?.conditions ?? []).some((c: IPodCondition) => c.type === "Ready" && c.status === "True");
}

/** Service proxy: answers what an Odoo instance behind the service would, if any endpoint is ready. */
export function serveServiceProxy(store: ObjectStore, namespace: string, serviceRef: string, path: string, method: string, res: ServerResponse): void {
  // "name", "name:port" or "scheme:name:port"
  const parts = serviceRef.split(":");
  const name = parts.length === 3 ? parts[1]! : parts[0]!;
  const svc = store.get("core/services", namespace, name);
  if (!svc) throw notFound("services", name);
  const selector: Record<string, string> = svc.spec?.selector ?? {};
  const entries = Object.entries(selector);
  const ready = entries.length > 0 && store.list("core/pods", namespace).some((p) => entries.every(([k, v]) => p.metadata.labels?.[k] === v) && isReady(p));
  if (!ready) throw serviceUnavailable(`no endpoints available for service "${name}"`);
  const clean = path.replace(/^\/+/, "");
  if (clean === "web/health") {
    sendJson(res, 200, { status: "pass" });
    return;
  }
  if (clean === "" || clean === "web") {
    res.writeHead(303, { Location: "/web/login", "Content-Type": "text/html; charset=utf-8" });
    res.end('<a href="/web/login">/web/login</a>');
    return;
  }
  if (clean === "web/login" && method === "GET") {
    sendText(
      res,
      200,
      '<!DOCTYPE html><html><head><title>Odoo</title></head><body><form action="/web/login" method="post"><input name="login"/><input name="password" type="password"/></form></body></html>',
      "text/html; charset=utf-8",
    );
    return;
  }
  sendText(
    res,
    404,
    "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.</p>\n",
    "text/html; charset=utf-8",
  );
}

/** Node proxy to the kubelet: /stats/summary (via the fleet's hooks) and /healthz. */
export function serveNodeProxy(store: ObjectStore, hooks: SimHooks, nodeRef: string, path: string, res: ServerResponse): void {
  const name = nodeRef.split(":")[0]!;
  const node = store.get("core/nodes", undefined, name);
  if (!node) throw notFound("nodes", name);
  const ip = (node.status?.addresses ?? []).find((a: INodeAddress) => a.type === "InternalIP")?.address ?? "10.0.0.1";
  const ready = (node.status?.conditions ?? []).find((c: INodeCondition) => c.type === "Ready")?.status === "True";
  if (!ready) throw serviceUnavailable(`error trying to reach service: dial tcp ${ip}:10250: connect: no route to host`);
  const clean = path.replace(/^\/+/, "");
  if (clean === "stats/summary") {
    const summary = hooks.nodeStatsSummary(name);
    if (summary === undefined) throw serviceUnavailable(`error trying to reach service: dial tcp ${ip}:10250: connect: connection refused`);
    sendJson(res, 200, summary);
    return;
  }
  if (clean === "healthz") {
    sendText(res, 200, "ok");
    return;
  }
  throw new ApiError(404, "NotFound", "the server could not find the requested resource");
}

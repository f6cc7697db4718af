import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, badRequest, methodNotAllowed } from "../store/api-error";
import { readBody, sendJson } from "./http-util";
import type { ApiServer } from "./server";

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBody(req);
  if (!raw.trim()) return {};
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (err) {
    throw badRequest(`invalid JSON body: ${(err as Error).message}`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("the body must be a JSON object");
  return body as Record<string, unknown>;
}

/** /_sim/* test control routes (same bearer token as the API). */
export async function handleControl(api: ApiServer, route: string, method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const post = method === "POST";
  switch (route) {
    case "faults":
      if (method === "GET") return sendJson(res, 200, api.faults.describe());
      if (method === "DELETE") {
        api.faults.clear();
        return sendJson(res, 200, api.faults.describe());
      }
      if (post) {
        const body = await jsonBody(req);
        api.faults.set(body);
        if (body.refuseForSeconds) {
          // Answer first: the listener closes right after.
          sendJson(res, 200, { ...api.faults.describe(), refusingForSeconds: Number(body.refuseForSeconds) });
          res.on("finish", () => api.refuse(Number(body.refuseForSeconds)));
          return;
        }
        return sendJson(res, 200, api.faults.describe());
      }
      throw methodNotAllowed();
    case "watches/drop":
      if (!post) throw methodNotAllowed();
      await readBody(req);
      return sendJson(res, 200, { dropped: api.watches.dropAll() });
    case "watches/stall": {
      if (!post) throw methodNotAllowed();
      const body = await jsonBody(req);
      const seconds = Number(body.seconds ?? 30);
      const requests = body.requests === true;
      api.watches.stall(seconds, { requests });
      return sendJson(res, 200, { stalledForSeconds: seconds, requestsHeld: requests, open: api.watches.openCount });
    }
    case "logs/drop":
      if (!post) throw methodNotAllowed();
      await readBody(req);
      return sendJson(res, 200, { dropped: api.logStreams.dropAll() });
    case "stats":
      if (method !== "GET") throw methodNotAllowed();
      return sendJson(res, 200, api.stats.snapshot());
    case "stats/reset":
      if (!post) throw methodNotAllowed();
      await readBody(req);
      api.stats.reset();
      return sendJson(res, 200, api.stats.snapshot());
    case "registry":
      if (method !== "GET") throw methodNotAllowed();
      return sendJson(res, 200, api.hooks.registryExport());
  }
  if (route.startsWith("tenants/") || route.startsWith("nodes/")) {
    if (!post) throw methodNotAllowed();
    const body = await jsonBody(req);
    const result = await api.hooks.control(route, body);
    return sendJson(res, result.status, result.body);
  }
  throw new ApiError(404, "NotFound", `unknown simulator control route /_sim/${route}`);
}

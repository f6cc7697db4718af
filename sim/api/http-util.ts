import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, badRequest, internalError } from "../store/api-error";

const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function sendJsonText(res: ServerResponse, status: number, json: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(json), ...headers });
  res.end(json);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJsonText(res, status, JSON.stringify(body), headers);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = "text/plain; charset=utf-8"): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    // Mid-stream failures cannot change the status line any more: cut the stream instead.
    res.destroy();
    return;
  }
  const apiErr = err instanceof ApiError ? err : internalError(err instanceof Error ? err.message : String(err));
  if (!(err instanceof ApiError)) console.error("sim: unexpected error", err);
  const headers: Record<string, string> = {};
  if (apiErr.details?.retryAfterSeconds !== undefined) headers["Retry-After"] = String(apiErr.details.retryAfterSeconds);
  sendJson(res, apiErr.code, apiErr.toStatus(), headers);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString("utf8");
}

/** The body as bytes, for binary (protobuf) bodies. */
export function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The JSON body of a create/update: 400 on malformed JSON, as the apiserver's decoder answers. */
export function parseJsonBody(body: string, what = "object"): unknown {
  if (!body.trim()) throw badRequest(`Object 'Kind' is missing in '${body}'`);
  try {
    return JSON.parse(body);
  } catch (err) {
    throw badRequest(`the ${what} provided is unrecognized: ${(err as Error).message}`);
  }
}

/**
 * A query boolean as the API server reads it (runtime.Convert_Slice_string_To_bool): anything but
 * `0` or `false` (any case) is true, so the Python client's `watch=True` is a watch.
 */
export function boolParam(v: string | null): boolean {
  return v !== null && v !== "0" && v.toLowerCase() !== "false";
}

export function intParam(name: string, v: string | null): number | undefined {
  if (v === null || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`strconv.ParseInt: parsing "${v}": invalid syntax (${name})`);
  return n;
}

import "server-only";

/**
 * Request bodies are read into memory (tRPC parses JSON whole), so each route caps them: a client
 * that sends more gets a 413 with a sentence, not an out-of-memory portal.
 */
export const MIB = 1024 * 1024;

/** Ordinary mutations carry a few fields. */
export const DEFAULT_BODY_LIMIT_BYTES = 1 * MIB;
/** A 20 MB registry file, JSON-encoded inside a tRPC batch (escapes can grow it a little). */
export const FILE_BODY_LIMIT_BYTES = 25 * MIB;
/** Sign-in forms and next-auth callbacks. */
export const AUTH_BODY_LIMIT_BYTES = 64 * 1024;

const FILE_PROCEDURES = new Set(["registry.preview", "registry.import"]);

/** The cap for a tRPC request: the file limit only when every procedure of the batch takes a file. */
export function trpcBodyLimit(pathname: string): number {
  const procedures = decodeURIComponentSafe(pathname.replace(/^\/api\/trpc\/?/, "")).split(",");
  return procedures.every((name) => FILE_PROCEDURES.has(name)) ? FILE_BODY_LIMIT_BYTES : DEFAULT_BODY_LIMIT_BYTES;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function tooLargeMessage(limit: number): string {
  const size = limit >= MIB ? `${limit / MIB} MB` : `${Math.round(limit / 1024)} KB`;
  return `The request body is larger than ${size}, the most this request accepts. Send less at once (a registry file: split it).`;
}

export type BoundedBody = { ok: true; request: Request } | { ok: false; limit: number };

/**
 * Reads at most `limit` bytes of the body. A declared Content-Length over the cap is refused before
 * reading; a body without one (chunked) is counted as it arrives. The returned request carries the
 * bytes read, so the handler sees the same body.
 */
export async function readBoundedBody(request: Request, limit: number): Promise<BoundedBody> {
  if (request.method === "GET" || request.method === "HEAD" || !request.body) return { ok: true, request };
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) return { ok: false, limit };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return { ok: false, limit };
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, request: new Request(request.url, { method: request.method, headers: request.headers, body, signal: request.signal }) };
}

// A small JSON client for the test control plane's API server (admin credentials), used by the
// test-only controllers (volume provisioner, fleet population): plain requests, merge patches and
// a list-then-watch loop that relists when the watch ends or is answered 410 Gone.
import { request, type RequestOptions } from "node:https";

export interface KubeCredentials {
  server: string;
  ca: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
}

export interface KubeResponse<T = unknown> {
  status: number;
  body: T;
  text: string;
}

export interface KubeObjectLike {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export class KubeApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly text: string,
  ) {
    super(`${method} ${path}: ${status} ${text.slice(0, 500)}`);
  }
}

export class KubeApi {
  constructor(private readonly credentials: KubeCredentials) {}

  private options(method: string, path: string, contentType?: string): RequestOptions & { url: string } {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.credentials.token) headers.authorization = `Bearer ${this.credentials.token}`;
    if (contentType) headers["content-type"] = contentType;
    return { url: `${this.credentials.server}${path}`, method, headers, ca: this.credentials.ca, cert: this.credentials.cert, key: this.credentials.key };
  }

  raw<T = unknown>(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<KubeResponse<T>> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const { url, ...options } = this.options(method, path, payload ? contentType : undefined);
    // A length, not chunks: Go's server answered a GET on the connection after a chunked DELETE 400.
    if (payload) (options.headers as Record<string, string>)["content-length"] = String(Buffer.byteLength(payload));
    return new Promise((done, fail) => {
      const req = request(url, { ...options, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // logs and other plain-text answers
          }
          done({ status: res.statusCode ?? 0, body: parsed as T, text });
        });
        res.on("error", fail);
      });
      req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on("error", fail);
      req.end(payload);
    });
  }

  /** The request, failing unless the status is 2xx (or one of `accept`). */
  async call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    { accept = [], contentType }: { accept?: number[]; contentType?: string } = {},
  ): Promise<KubeResponse<T>> {
    const response = await this.raw<T>(method, path, body, contentType);
    if ((response.status < 200 || response.status > 299) && !accept.includes(response.status))
      throw new KubeApiError(method, path, response.status, response.text);
    return response;
  }

  async get<T = unknown>(path: string): Promise<T> {
    return (await this.call<T>("GET", path)).body;
  }

  /** Creates, or leaves alone what already exists (409). */
  async create<T = unknown>(path: string, body: unknown): Promise<KubeResponse<T>> {
    return this.call<T>("POST", path, body, { accept: [409] });
  }

  async mergePatch<T = unknown>(path: string, patch: unknown): Promise<T> {
    return (await this.call<T>("PATCH", path, patch, { contentType: "application/merge-patch+json" })).body;
  }

  async delete(path: string): Promise<void> {
    await this.call("DELETE", path, undefined, { accept: [404] });
  }

  /**
   * Lists `path` and then watches it, calling `onEvent` for every item of the list (as ADDED) and
   * every event; relists when the watch closes. Returns a stop function.
   */
  listWatch<T extends KubeObjectLike>(
    path: string,
    onEvent: (type: "ADDED" | "MODIFIED" | "DELETED", object: T) => void,
    onError?: (error: Error) => void,
  ): () => void {
    let stopped = false;
    let current: ReturnType<typeof request> | undefined;
    const loop = async () => {
      while (!stopped) {
        try {
          const list = await this.get<{ metadata: { resourceVersion: string }; items: T[] }>(path);
          for (const item of list.items) onEvent("ADDED", item);
          await this.watchFrom(path, list.metadata.resourceVersion, onEvent, (req) => (current = req));
        } catch (error) {
          if (!stopped) onError?.(error instanceof Error ? error : new Error(String(error)));
        }
        if (!stopped) await new Promise((r) => setTimeout(r, 500));
      }
    };
    void loop();
    return () => {
      stopped = true;
      current?.destroy();
    };
  }

  private watchFrom<T extends KubeObjectLike>(
    path: string,
    resourceVersion: string,
    onEvent: (type: "ADDED" | "MODIFIED" | "DELETED", object: T) => void,
    started: (req: ReturnType<typeof request>) => void,
  ): Promise<void> {
    const separator = path.includes("?") ? "&" : "?";
    const { url, ...options } = this.options("GET", `${path}${separator}watch=true&resourceVersion=${resourceVersion}&allowWatchBookmarks=true`);
    return new Promise((done) => {
      const req = request(url, options, (res) => {
        let buffer = "";
        res.on("data", (chunk: Buffer) => {
          buffer += chunk.toString();
          let newline: number;
          while ((newline = buffer.indexOf("\n")) >= 0) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(newline + 1);
            if (!line.trim()) continue;
            const event = JSON.parse(line) as { type: string; object: T };
            // An ERROR (410 Gone and the like) ends this watch; the loop relists.
            if (event.type === "ERROR") return req.destroy();
            if (event.type === "ADDED" || event.type === "MODIFIED" || event.type === "DELETED") onEvent(event.type, event.object);
          }
        });
        res.on("end", () => done());
        res.on("error", () => done());
        res.on("close", () => done());
      });
      req.on("error", () => done());
      started(req);
      req.end();
    });
  }
}

import { describe, expect, it } from "vitest";

import { DEFAULT_BODY_LIMIT_BYTES, FILE_BODY_LIMIT_BYTES, readBoundedBody, tooLargeMessage, trpcBodyLimit } from "./body-limit";

function post(body: BodyInit, headers: Record<string, string> = {}) {
  return new Request("http://portal.test/api/trpc/users.create", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

function chunked(chunks: number, size: number) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < chunks; i++) controller.enqueue(new Uint8Array(size).fill(97));
      controller.close();
    },
  });
}

describe("request body limits", () => {
  it("gives the file limit only to a batch of file procedures", () => {
    expect(trpcBodyLimit("/api/trpc/registry.import")).toBe(FILE_BODY_LIMIT_BYTES);
    expect(trpcBodyLimit("/api/trpc/registry.preview,registry.import")).toBe(FILE_BODY_LIMIT_BYTES);
    expect(trpcBodyLimit("/api/trpc/registry.import,users.create")).toBe(DEFAULT_BODY_LIMIT_BYTES);
    expect(trpcBodyLimit("/api/trpc/users.create")).toBe(DEFAULT_BODY_LIMIT_BYTES);
    expect(trpcBodyLimit("/api/trpc/%E0%A4%A")).toBe(DEFAULT_BODY_LIMIT_BYTES);
  });

  it("passes a body under the limit through unchanged", async () => {
    const read = await readBoundedBody(post(JSON.stringify({ a: 1 }), { "content-type": "application/json" }), 1024);
    expect(read.ok).toBe(true);
    if (read.ok) {
      expect(await read.request.text()).toBe('{"a":1}');
      expect(read.request.headers.get("content-type")).toBe("application/json");
    }
  });

  it("refuses a declared Content-Length over the limit without reading", async () => {
    const read = await readBoundedBody(post("x".repeat(10), { "content-length": "5000" }), 1024);
    expect(read).toEqual({ ok: false, limit: 1024 });
  });

  it("counts a chunked body as it arrives", async () => {
    expect((await readBoundedBody(post(chunked(3, 400)), 1024)).ok).toBe(false);
    expect((await readBoundedBody(post(chunked(2, 400)), 1024)).ok).toBe(true);
  });

  it("says the limit in words", () => {
    expect(tooLargeMessage(DEFAULT_BODY_LIMIT_BYTES)).toContain("1 MB");
    expect(tooLargeMessage(64 * 1024)).toContain("64 KB");
  });
});

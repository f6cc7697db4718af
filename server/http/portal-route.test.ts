import { beforeEach, describe, expect, it, vi } from "vitest";

import { AppError } from "@/server/errors/app-error";
import { serverLog } from "@/server/log";

const session = vi.hoisted(() => ({ current: null as null | { user: { id: string; email: string; name: string; role: string } } }));
const denials = vi.hoisted(() => [] as unknown[]);
vi.mock("@/server/auth/session", () => ({ getSessionFromHeaders: async () => session.current }));
vi.mock("@/server/runtime", () => ({ runtime: () => ({ db: {} }) }));
vi.mock("@/server/audit/denials", () => ({ recordDenial: async (_db: unknown, denial: unknown) => void denials.push(denial) }));

const { portalRoute } = await import("./portal-route");

const viewer = { id: "00000000-0000-4000-8000-000000000001", email: "viewer@example.com", name: "Viewer", role: "viewer" };
const options = { route: "/api/example", permission: "fleet:read" as const, crossSiteMessage: "Start from the portal.", logPrefix: "[test]" };

beforeEach(() => {
  session.current = { user: viewer };
  denials.length = 0;
});

describe("the portal's route handler wrapper", () => {
  it("asks to sign in, refuses a missing permission and a cross-site request, and audits both refusals", async () => {
    const handler = portalRoute(options, async () => new Response("ok"));
    session.current = null;
    expect((await handler(new Request("http://portal/api/example"))).status).toBe(401);
    session.current = { user: viewer };
    const admin = portalRoute({ ...options, permission: "users:manage" }, async () => new Response("ok"));
    const forbidden = await admin(new Request("http://portal/api/example"));
    expect([forbidden.status, await forbidden.text()]).toEqual([403, "The viewer role does not have the users:manage permission.\n"]);
    const crossSite = await handler(new Request("http://portal/api/example", { headers: { "sec-fetch-site": "cross-site" } }));
    expect([crossSite.status, await crossSite.text()]).toEqual([403, "Start from the portal.\n"]);
    expect(denials).toHaveLength(2);
    expect((await handler(new Request("http://portal/api/example", { headers: { "sec-fetch-site": "same-origin" } }))).status).toBe(200);
  });

  it("answers a domain error with its status and words, and anything else with a 503 that names no internals", async () => {
    const conflict = portalRoute(options, async () => {
      throw new AppError("NOT_FOUND", { message: "no row 42", userMessage: "That tenant does not exist." });
    });
    const notFound = await conflict(new Request("http://portal/api/example"));
    expect([notFound.status, await notFound.text()]).toEqual([404, "That tenant does not exist.\n"]);
    const errorLog = vi.spyOn(serverLog(), "error").mockImplementation(() => undefined);
    const broken = portalRoute({ ...options, errors: "json" }, async () => {
      throw new Error("connect ECONNREFUSED 10.0.0.7:5432 at /srv/portal/server/db.ts:12");
    });
    const unavailable = await broken(new Request("http://portal/api/example"));
    expect(unavailable.status).toBe(503);
    const body = await unavailable.text();
    expect(JSON.parse(body).error.data.userMessage).toMatch(/^The portal could not answer this now/);
    expect(body).not.toMatch(/ECONNREFUSED|10\.0\.0\.7|\/srv\//);
    // The answer quotes the request's id, and the server log line (with the real error) carries it.
    const requestId = unavailable.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(body).error.data.userMessage).toContain(`(request id ${requestId})`);
    expect(errorLog).toHaveBeenCalledOnce();
    expect(errorLog.mock.calls[0][0]).toMatchObject({ requestId, route: "/api/example", err: expect.any(Error) });
    errorLog.mockRestore();
  });
});

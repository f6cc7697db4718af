// Talks to a running portal the way a browser does: next-auth credentials sign-in (CSRF token,
// then the credentials callback), then tRPC over HTTP with the session cookie. Queries are plain
// GETs (`?input=` carries superjson's `{ json: ... }` envelope); subscriptions are SSE streams.
// The benchmarks and the integration tests that start portals (scripts/lib/stack.ts) use it.
import { ArrivalLog, readServerSentEvents, type ServerSentEvent } from "./response-streams";

/** A tRPC call the portal answered with an error: its HTTP status and tRPC's error shape. */
export class PortalCallError extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`tRPC ${path} → ${status}: ${body.slice(0, 400)}`);
  }

  /** tRPC's error code (UNAUTHORIZED, CONFLICT, …) and the message the UI would show, when the body is tRPC's. */
  get trpc(): { code?: string; message?: string } {
    try {
      type Shape = { message?: string; data?: { code?: string; userMessage?: string } };
      const parsed = JSON.parse(this.body) as { error?: Shape & { json?: Shape } };
      const error = parsed.error?.json ?? parsed.error;
      return { code: error?.data?.code, message: error?.data?.userMessage ?? error?.message };
    } catch {
      return {};
    }
  }
}

/** What the credentials callback said: signed in, or the error next-auth sends the sign-in page (`CredentialsSignin`, `RATE_LIMITED:<s>`). */
export type SignInOutcome = { ok: true } | { ok: false; error: string };

export class PortalClient {
  private readonly cookies = new Map<string, string>();

  /** `cookies` starts the client with another client's cookies (the same browser on another replica). */
  constructor(
    readonly url: string,
    cookies?: ReadonlyMap<string, string>,
  ) {
    for (const [name, value] of cookies ?? []) this.cookies.set(name, value);
  }

  /** This client's cookies, e.g. for a client of another replica that the same browser reaches. */
  get cookieJar(): ReadonlyMap<string, string> {
    return this.cookies;
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  private keepCookies(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const equals = pair.indexOf("=");
      if (equals > 0) this.cookies.set(pair.slice(0, equals).trim(), pair.slice(equals + 1).trim());
    }
  }

  async signIn(email: string, password: string): Promise<void> {
    const outcome = await this.trySignIn(email, password);
    if (!outcome.ok) throw new Error(`sign-in as ${email} failed: ${outcome.error}`);
  }

  /** A sign-in that may fail; the outcome says why, as the sign-in page would read it. */
  async trySignIn(email: string, password: string): Promise<SignInOutcome> {
    const csrfResponse = await fetch(`${this.url}/api/auth/csrf`);
    this.keepCookies(csrfResponse);
    const csrfText = await csrfResponse.text();
    if (!csrfResponse.ok || !csrfText)
      throw new Error(`GET /api/auth/csrf → ${csrfResponse.status} ${JSON.stringify(Object.fromEntries(csrfResponse.headers))} ${csrfText.slice(0, 300)}`);
    const { csrfToken } = JSON.parse(csrfText) as { csrfToken: string };
    const response = await fetch(`${this.url}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: this.cookieHeader },
      body: new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: this.url }),
    });
    this.keepCookies(response);
    const body = await response.text();
    if (response.headers.getSetCookie().some((line) => /^[^=]*next-auth\.session-token=[^;]/.test(line))) return { ok: true };
    // next-auth answers `{ url }` for json=true (a redirect otherwise); the error is that URL's `error` parameter.
    let target = response.headers.get("location") ?? "";
    try {
      target = (JSON.parse(body) as { url?: string }).url ?? target;
    } catch {
      // not JSON: the redirect's Location says it
    }
    const error = target ? new URL(target, this.url).searchParams.get("error") : null;
    return { ok: false, error: error ?? `status ${response.status}: ${body.slice(0, 300)}` };
  }

  trpcUrl(path: string, input?: unknown): string {
    const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    return `${this.url}/api/trpc/${path}${query}`;
  }

  async query<T>(path: string, input?: unknown, signal?: AbortSignal): Promise<T> {
    const response = await fetch(this.trpcUrl(path, input), { headers: { cookie: this.cookieHeader }, signal });
    const text = await response.text();
    if (!response.ok) throw new PortalCallError(path, response.status, text);
    return (JSON.parse(text) as { result: { data: { json: T } } }).result.data.json;
  }

  /** A tRPC mutation as the browser's client sends it (POST, same Origin). */
  async mutation<T>(path: string, input: unknown): Promise<T> {
    const response = await fetch(`${this.url}/api/trpc/${path}`, {
      method: "POST",
      headers: { cookie: this.cookieHeader, "content-type": "application/json", origin: this.url },
      body: JSON.stringify({ json: input }),
    });
    const text = await response.text();
    if (!response.ok) throw new PortalCallError(path, response.status, text);
    return (JSON.parse(text) as { result: { data: { json: T } } }).result.data.json;
  }

  /** A page as the browser loads it; redirects are failures (a redirect means the session is gone). */
  async page(path: string): Promise<{ status: number; bytes: number }> {
    const response = await fetch(`${this.url}${path}`, { headers: { cookie: this.cookieHeader, accept: "text/html" }, redirect: "manual" });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`GET ${path} → ${response.status} ${response.headers.get("location") ?? ""}`);
    return { status: response.status, bytes: body.length };
  }

  /** A page's HTML as the browser gets it (same rules as page()). */
  async html(path: string): Promise<string> {
    const response = await fetch(`${this.url}${path}`, { headers: { cookie: this.cookieHeader, accept: "text/html" }, redirect: "manual" });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`GET ${path} → ${response.status} ${response.headers.get("location") ?? ""}`);
    return body;
  }

  /** Opens a tRPC SSE subscription; its data events are collected with their arrival times. */
  async subscribe(path: string, input: unknown): Promise<{ events: ArrivalLog<ServerSentEvent>; close(): void }> {
    const abort = new AbortController();
    const response = await fetch(this.trpcUrl(path, input), {
      headers: { cookie: this.cookieHeader, accept: "text/event-stream" },
      signal: abort.signal,
    });
    if (!response.ok || !response.body) throw new Error(`subscription ${path} → ${response.status}: ${(await response.text()).slice(0, 300)}`);
    return { events: new ArrivalLog(readServerSentEvents(response.body)), close: () => abort.abort() };
  }
}

/** The `json` part of a tRPC SSE data event (superjson envelope), or undefined for control events. */
export function subscriptionData<T>(event: ServerSentEvent): T | undefined {
  if (event.event !== "message" || !event.data) return undefined;
  const parsed = JSON.parse(event.data) as { json?: T };
  return parsed.json;
}

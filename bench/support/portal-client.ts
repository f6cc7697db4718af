// Talks to a running portal the way a browser does: next-auth credentials sign-in (CSRF token,
// then the credentials callback), then tRPC over HTTP with the session cookie. Queries are plain
// GETs (`?input=` carries superjson's `{ json: ... }` envelope); subscriptions are SSE streams.
import { ArrivalLog, readServerSentEvents, type ServerSentEvent } from "./streams";

export class PortalClient {
  private readonly cookies = new Map<string, string>();

  constructor(readonly url: string) {}

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
    if (![...this.cookies.keys()].some((name) => name.endsWith("next-auth.session-token"))) {
      throw new Error(`sign-in as ${email} failed (${response.status}): ${(await response.text()).slice(0, 300)}`);
    }
  }

  trpcUrl(path: string, input?: unknown): string {
    const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    return `${this.url}/api/trpc/${path}${query}`;
  }

  async query<T>(path: string, input?: unknown, signal?: AbortSignal): Promise<T> {
    const response = await fetch(this.trpcUrl(path, input), { headers: { cookie: this.cookieHeader }, signal });
    const text = await response.text();
    if (!response.ok) throw new Error(`tRPC ${path} → ${response.status}: ${text.slice(0, 400)}`);
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
    if (!response.ok) throw new Error(`tRPC ${path} → ${response.status}: ${text.slice(0, 400)}`);
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

import { NextResponse, type NextRequest } from "next/server";

import { DEFAULT_USER_MESSAGE, type FormattedErrorData } from "@/lib/trpc/error-data";
import {
  encodeRefreshedToken,
  LAST_SEEN_REFRESH_SECONDS,
  nowSeconds,
  readSessionClaims,
  SESSION_COOKIE_NAME,
  SESSION_MAX_AGE_SECONDS,
  useSecureCookies,
} from "@/server/auth/session-token";
import { drainRefusal, processDrain } from "@/server/http/drain";
import { STRICT_TRANSPORT_SECURITY } from "@/server/http/strict-transport";

/**
 * Runs before every page and API request except tRPC (bar paths with a %) and the health check (Next 16 renamed
 * middleware to proxy; Node.js runtime). Those two are the hot path: the proxy's request rewrite
 * more than doubled their cost, and neither needs it: tRPC checks the session and refreshes the
 * idle window itself (app/api/trpc), its responses are JSON with a static CSP from next.config.js.
 * 1. Session gate: pages without a valid session go to /sign-in, APIs get 401 JSON. This is the
 *    first line only: the (portal) layout and every tRPC procedure check the session again
 *    against the database (revoked sessions, disabled users, role changes).
 * 2. Idle expiry: an active user's token gets a fresh last-seen time at most once a minute.
 * 3. CSP with a per-request nonce. Next reads the nonce from the request's CSP header and puts
 *    it on its own inline scripts, so script-src needs no 'unsafe-inline'. Styles keep
 *    'unsafe-inline' because React and recharts set style attributes, which nonces cannot cover.
 */

const unauthorizedErrorData = {
  code: "UNAUTHORIZED",
  httpStatus: 401,
  userMessage: DEFAULT_USER_MESSAGE.UNAUTHORIZED,
  appCode: null,
  zodError: null,
} satisfies FormattedErrorData;

const MALFORMED_ADDRESS_MESSAGE =
  "The address is not valid: a % must be followed by two hexadecimal digits that spell UTF-8 text. Check the link, or go back to the start page.";

const malformedAddressErrorData = {
  code: "BAD_REQUEST",
  httpStatus: 400,
  userMessage: MALFORMED_ADDRESS_MESSAGE,
  appCode: "BAD_REQUEST",
  zodError: null,
} satisfies FormattedErrorData;

/** Next's router fails such a path with a bare 500, so the proxy answers it before Next tries. */
function hasMalformedEncoding(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}

/** No route has this path: a rewrite to it renders app/not-found.tsx inside the app's shell. */
const NOT_FOUND_PAGE = "/_not-found-address";

// The migration scripts' API authenticates each call with a service token of its own, /metrics with METRICS_TOKEN.
const PUBLIC_PATHS = ["/sign-in", "/api/auth/", "/api/health", "/api/migration/v1/", "/metrics"];

function isPublic(pathname: string): boolean {
  return PUBLIC_PATHS.some((prefix) => pathname === prefix || pathname.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`));
}

function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    // React uses eval only in development, for its error overlays.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function nonceHeaders(incoming: Headers, nonce: string, csp: string): Headers {
  const headers = new Headers(incoming);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  return headers;
}

export async function proxy(request: NextRequest) {
  // A draining process (server/http/drain.ts) takes no new page or API request; the retry lands on another replica.
  if (processDrain().refusing) return drainRefusal({ error: { message: "This portal process is shutting down; try again." } });
  const { pathname, search } = request.nextUrl;
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce);

  if (hasMalformedEncoding(pathname)) {
    if (pathname.startsWith("/api/")) {
      return NextResponse.json(
        { error: { message: MALFORMED_ADDRESS_MESSAGE, code: -32600, data: malformedAddressErrorData } },
        { status: 400, headers: { "cache-control": "no-store" } },
      );
    }
    const response = NextResponse.rewrite(new URL(NOT_FOUND_PAGE, request.url), { request: { headers: nonceHeaders(request.headers, nonce, csp) } });
    response.headers.set("content-security-policy", csp);
    return response;
  }

  const session = await readSessionClaims(request.headers, request.cookies);

  if (!session && !isPublic(pathname)) {
    if (pathname.startsWith("/api/")) {
      return NextResponse.json(
        { error: { message: "Sign in to continue.", code: -32001, data: unauthorizedErrorData } },
        { status: 401, headers: { "cache-control": "no-store" } },
      );
    }
    const signIn = new URL("/sign-in", request.url);
    signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(signIn);
  }

  const requestHeaders = nonceHeaders(request.headers, nonce, csp);
  requestHeaders.set("x-pathname", `${pathname}${search}`);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  if (STRICT_TRANSPORT_SECURITY) response.headers.set("strict-transport-security", STRICT_TRANSPORT_SECURITY);

  if (session) {
    const now = nowSeconds();
    if (now - session.claims.lastSeen >= LAST_SEEN_REFRESH_SECONDS) {
      response.cookies.set(SESSION_COOKIE_NAME, await encodeRefreshedToken(session.token, now), {
        httpOnly: true,
        sameSite: "lax",
        secure: useSecureCookies,
        path: "/",
        maxAge: SESSION_MAX_AGE_SECONDS,
      });
    }
  }
  return response;
}

export const config = {
  // Everything except build assets: pages and APIs alike need the session gate and the CSP.
  // tRPC's own paths never hold a %, so the second entry brings only malformed-looking ones here.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt|api/trpc|api/health).*)", "/api/trpc/(.*%.*)"],
};

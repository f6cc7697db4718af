import "server-only";

/**
 * tRPC mutations change state, so they must come from our own pages: JSON bodies (no form posts,
 * which a foreign site can submit without CORS) from the same origin. Browsers always send
 * Origin and Sec-Fetch-Site on POST; a request with neither is refused too.
 */

export interface RequestRejection {
  status: 403 | 415;
  message: string;
}

function allowedOrigins(headers: Headers, requestUrl: string, configuredUrl?: string): Set<string> {
  const origins = new Set<string>();
  if (configuredUrl) origins.add(new URL(configuredUrl).origin);
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  if (host) {
    const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? new URL(requestUrl).protocol.replace(":", "");
    origins.add(`${proto}://${host}`);
  } else {
    origins.add(new URL(requestUrl).origin);
  }
  return origins;
}

export function checkStateChangingRequest(request: { method: string; headers: Headers; url: string }, configuredUrl?: string): RequestRejection | null {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return null;

  const contentType = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (contentType !== "application/json") {
    return { status: 415, message: "Mutations accept only application/json request bodies." };
  }

  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin") {
    return { status: 403, message: `Cross-site request refused (Sec-Fetch-Site: ${fetchSite}).` };
  }

  const origin = request.headers.get("origin");
  if (origin) {
    if (!allowedOrigins(request.headers, request.url, configuredUrl).has(origin)) {
      return { status: 403, message: `Cross-origin request refused (Origin: ${origin}).` };
    }
  } else if (!fetchSite) {
    return { status: 403, message: "Request refused: it carries neither an Origin nor a Sec-Fetch-Site header." };
  }
  return null;
}

/**
 * Where to go after sign-in: only a path on this portal. An open redirect after a real sign-in
 * would hand a fresh session to a phishing page, and browsers forgive a lot (they drop tabs and
 * newlines, read `\` as `/`, resolve `/./` and `/../`), so the value is normalised with the URL
 * parser first and judged by what it resolves to, not by how it starts.
 */
const PORTAL_ORIGIN = "https://portal.invalid";

export function safeCallbackPath(value: string | string[] | undefined | null): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || !raw.startsWith("/")) return "/";
  let url: URL;
  try {
    url = new URL(raw, PORTAL_ORIGIN);
  } catch {
    return "/";
  }
  if (url.origin !== PORTAL_ORIGIN) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  // "/.//host" resolves to the path "//host", which a browser reads as another host.
  if (path.startsWith("//") || path.startsWith("/\\")) return "/";
  if (url.pathname === "/sign-in" || url.pathname.startsWith("/sign-in/") || url.pathname.startsWith("/api/auth")) return "/";
  return path;
}

/** The error text the Credentials provider throws; the sign-in page parses the seconds back out. */
export const RATE_LIMITED_PREFIX = "RATE_LIMITED:";

export function rateLimitedError(waitMs: number): string {
  return `${RATE_LIMITED_PREFIX}${Math.max(1, Math.ceil(waitMs / 1000))}`;
}

export function parseRateLimitedError(error: string | null | undefined): number | null {
  if (!error?.startsWith(RATE_LIMITED_PREFIX)) return null;
  const seconds = Number.parseInt(error.slice(RATE_LIMITED_PREFIX.length), 10);
  return Number.isFinite(seconds) ? seconds : null;
}

import { ApiError, tooManyRequests } from "../store/api-error";

export interface FaultSettings {
  latencyMs?: number;
  /** fraction of API requests (0..1) answered with `errorStatus` */
  errorRate?: number;
  errorStatus?: number;
  /** rate <= 1: fraction of requests throttled; rate > 1: requests per second allowed */
  throttle?: { rate: number; retryAfterSeconds?: number };
  refuseForSeconds?: number;
}

const REASONS: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  409: "Conflict",
  410: "Expired",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

/** Injected API faults: latency, error rates, throttling, refusing connections. */
export class FaultState {
  latencyMs = 0;
  errorRate = 0;
  errorStatus = 500;
  throttle?: { rate: number; retryAfterSeconds: number };
  private windowStart = 0;
  private windowCount = 0;

  set(s: FaultSettings): void {
    if (s.latencyMs !== undefined) this.latencyMs = Math.max(0, Number(s.latencyMs) || 0);
    if (s.errorRate !== undefined) this.errorRate = Math.min(1, Math.max(0, Number(s.errorRate) || 0));
    if (s.errorStatus !== undefined) this.errorStatus = Number(s.errorStatus) || 500;
    if (s.throttle !== undefined)
      this.throttle = s.throttle ? { rate: Number(s.throttle.rate) || 0, retryAfterSeconds: Number(s.throttle.retryAfterSeconds ?? 1) } : undefined;
  }

  clear(): void {
    this.latencyMs = 0;
    this.errorRate = 0;
    this.errorStatus = 500;
    this.throttle = undefined;
  }

  describe(): Record<string, unknown> {
    return { latencyMs: this.latencyMs, errorRate: this.errorRate, errorStatus: this.errorStatus, throttle: this.throttle ?? null };
  }

  /** The error this request gets, if a fault hits it. */
  pick(now = Date.now()): ApiError | undefined {
    const t = this.throttle;
    if (t && t.rate > 0) {
      if (t.rate <= 1) {
        if (Math.random() < t.rate) return tooManyRequests(t.retryAfterSeconds);
      } else {
        if (now - this.windowStart >= 1000) {
          this.windowStart = now;
          this.windowCount = 0;
        }
        if (++this.windowCount > t.rate) return tooManyRequests(t.retryAfterSeconds);
      }
    }
    if (this.errorRate > 0 && Math.random() < this.errorRate) {
      const code = this.errorStatus;
      const reason = REASONS[code] ?? "InternalError";
      if (code === 429) return tooManyRequests(1);
      return new ApiError(code, reason, code >= 500 ? `Internal error occurred: injected fault (${code})` : `injected fault (${code})`);
    }
    return undefined;
  }
}

import "server-only";

/**
 * Every Kubernetes failure the portal sees becomes a KubeError: the HTTP status, the API's own
 * Status.reason/message, and a sentence an operator can act on. Callers never see a bare 500.
 */
export type KubeErrorKind =
  | "unreachable"
  | "timeout"
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "invalid"
  | "gone"
  | "throttled"
  | "unavailable"
  | "server"
  | "bad-response"
  | "stalled";

export interface KubeErrorInit {
  kind: KubeErrorKind;
  status?: number;
  reason?: string;
  apiMessage?: string;
  retryAfterSeconds?: number;
  /** How long a stalled watch had been silent when it was restarted. */
  silentForMs?: number;
  path?: string;
  cause?: unknown;
}

export class KubeError extends Error {
  readonly kind: KubeErrorKind;
  readonly status?: number;
  readonly reason?: string;
  readonly apiMessage?: string;
  readonly retryAfterSeconds?: number;
  readonly path?: string;
  /**
   * The same sentence without the API's message or the socket error, for anyone signed in (the
   * freshness banner): addresses, service-account names and resource paths stay in the server log.
   */
  readonly summary: string;

  constructor(init: KubeErrorInit) {
    super(describe(init), { cause: init.cause });
    this.summary = describe({ kind: init.kind, status: init.status, retryAfterSeconds: init.retryAfterSeconds, silentForMs: init.silentForMs });
    this.name = "KubeError";
    this.kind = init.kind;
    this.status = init.status;
    this.reason = init.reason;
    this.apiMessage = init.apiMessage;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.path = init.path;
  }

  /** Plain JSON for freshness reports and tRPC payloads. */
  toJSON(): { kind: KubeErrorKind; status?: number; reason?: string; message: string } {
    return { kind: this.kind, status: this.status, reason: this.reason, message: this.message };
  }
}

function describe(init: KubeErrorInit): string {
  const api = init.apiMessage ? `: ${init.apiMessage}` : "";
  switch (init.kind) {
    case "unreachable":
      return `Kubernetes API unreachable${init.cause instanceof Error ? ` (${init.cause.message})` : ""}`;
    case "timeout":
      return "Kubernetes API did not answer in time";
    case "unauthorized":
      return `Kubernetes API refused the portal's credentials (401)${api}`;
    case "forbidden":
      // RBAC's own message names the user and the verb; admission refusals (quota, resize) do not.
      return init.apiMessage && !/\bcannot \w+ resource\b/.test(init.apiMessage)
        ? `Kubernetes refused this (403)${api}`
        : `Kubernetes RBAC forbids this (403)${api}`;
    case "not-found":
      return `Not found in Kubernetes (404)${api}`;
    case "conflict":
      return `Kubernetes refused the change (${init.status ?? 409})${api}`;
    case "invalid":
      return `Kubernetes refused the request as invalid (${init.status ?? 422})${api}`;
    case "gone":
      return `Watch history expired (410 Gone)${api}`;
    case "throttled":
      return `Kubernetes API is throttling requests (429)${init.retryAfterSeconds ? `, retry after ${init.retryAfterSeconds}s` : ""}${api}`;
    case "unavailable":
      return `Kubernetes API unavailable (${init.status ?? 503})${api}`;
    case "stalled":
      return init.silentForMs === undefined
        ? "Watch went silent and was restarted"
        : `No event or bookmark for ${formatSeconds(init.silentForMs)} s, so the watch was restarted`;
    case "bad-response":
      return `Unexpected answer from the Kubernetes API${api}`;
    case "server":
      return `Kubernetes API error (${init.status ?? "?"})${api}`;
  }
}

function formatSeconds(milliseconds: number): string {
  const seconds = milliseconds / 1000;
  return Number.isInteger(seconds) ? String(seconds) : seconds.toFixed(1);
}

function kindForStatus(status: number): KubeErrorKind {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not-found";
  if (status === 409) return "conflict";
  if (status === 400 || status === 422) return "invalid";
  if (status === 410) return "gone";
  if (status === 429) return "throttled";
  if (status === 503 || status === 502 || status === 504) return "unavailable";
  return "server";
}

/** Builds the error from an HTTP answer whose body is (usually) a `kind: Status` object. */
export function kubeErrorFromStatus(status: number, body: unknown, opts: { retryAfter?: string | null; path?: string } = {}): KubeError {
  const statusObject = isStatusObject(body) ? body : undefined;
  const retryAfterSeconds = parseRetryAfter(opts.retryAfter) ?? statusObject?.details?.retryAfterSeconds ?? undefined;
  const code = statusObject?.code && statusObject.code >= 400 ? statusObject.code : status;
  // An eviction's 429 names the disruption budget only in its causes; a 422 lists the fields.
  const causes = (statusObject?.details?.causes ?? [])
    .map((cause) => cause.message)
    .filter((message): message is string => typeof message === "string" && message.length > 0 && !statusObject?.message?.includes(message));
  const apiMessage = [statusObject?.message, ...causes].filter(Boolean).join(" ") || undefined;
  // A 429 that is a disruption budget's refusal is not throttling: retrying soon will not help.
  const budget = code === 429 && (statusObject?.details?.causes ?? []).some((cause) => cause.reason === "DisruptionBudget");
  return new KubeError({
    kind: budget ? "conflict" : kindForStatus(code),
    status: code,
    reason: statusObject?.reason,
    apiMessage,
    retryAfterSeconds,
    path: opts.path,
  });
}

interface StatusObject {
  kind: "Status";
  code?: number;
  reason?: string;
  message?: string;
  details?: { retryAfterSeconds?: number; causes?: { reason?: string; message?: string; field?: string }[] };
}

export function isStatusObject(value: unknown): value is StatusObject {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "Status";
}

function parseRetryAfter(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const at = Date.parse(header);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** Network-level failures (refused, reset, DNS, TLS) and our own timeouts. */
export function toKubeError(error: unknown, path?: string): KubeError {
  if (error instanceof KubeError) return error;
  if (error instanceof Error && (error.name === "TimeoutError" || (error as { code?: string }).code === "ETIMEDOUT")) {
    return new KubeError({ kind: "timeout", path, cause: error });
  }
  return new KubeError({ kind: "unreachable", path, cause: error });
}

export interface StatusCause {
  reason: string;
  message: string;
  /** absent on causes that name no field (an eviction's DisruptionBudget) */
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** An error the API answers with a `kind: Status` body, as kube-apiserver does. */
export class ApiError extends Error {
  constructor(
    public code: number,
    public reason: string,
    message: string,
    public details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    const status: Record<string, unknown> = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) status.details = this.details;
    return status;
  }
}

/** `resource` is "pods" or "deployments.apps", the way the real messages spell it. */
function qualified(group: string | undefined, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

export function notFound(plural: string, name: string, group = ""): ApiError {
  return new ApiError(404, "NotFound", `${qualified(group, plural)} "${name}" not found`, { name, group: group || undefined, kind: plural });
}

export function alreadyExists(plural: string, name: string, group = ""): ApiError {
  return new ApiError(409, "AlreadyExists", `${qualified(group, plural)} "${name}" already exists`, { name, group: group || undefined, kind: plural });
}

export function conflict(
  plural: string,
  name: string,
  group = "",
  why = "the object has been modified; please apply your changes to the latest version and try again",
): ApiError {
  return new ApiError(409, "Conflict", `Operation cannot be fulfilled on ${qualified(group, plural)} "${name}": ${why}`, {
    name,
    group: group || undefined,
    kind: plural,
  });
}

export function invalid(kind: string, name: string, causes: StatusCause[], group = ""): ApiError {
  const list = causes.map((c) => `${c.field}: ${c.message}`).join(", ");
  const what = group ? `${kind}.${group}` : kind;
  return new ApiError(422, "Invalid", `${what} "${name}" is invalid: ${causes.length > 1 ? `[${list}]` : list}`, {
    name,
    group: group || undefined,
    kind,
    causes: causes.map((c) => ({ reason: c.reason, message: c.message, field: c.field })),
  });
}

export function forbidden(plural: string, name: string, why: string, group = ""): ApiError {
  return new ApiError(403, "Forbidden", `${qualified(group, plural)} "${name}" is forbidden: ${why}`, { name, group: group || undefined, kind: plural });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, "BadRequest", message);
}

export function methodNotAllowed(message = "the server does not allow this method on the requested resource"): ApiError {
  return new ApiError(405, "MethodNotAllowed", message);
}

export function gone(message: string): ApiError {
  return new ApiError(410, "Expired", message);
}

export function tooManyRequests(retryAfterSeconds: number): ApiError {
  return new ApiError(429, "TooManyRequests", "Too many requests, please try again later.", { retryAfterSeconds });
}

export function unauthorized(): ApiError {
  return new ApiError(401, "Unauthorized", "Unauthorized");
}

export function unsupportedMediaType(contentType: string): ApiError {
  return new ApiError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got ${contentType})`,
  );
}

export function internalError(message: string): ApiError {
  return new ApiError(500, "InternalError", `Internal error occurred: ${message}`);
}

export function serviceUnavailable(message: string): ApiError {
  return new ApiError(503, "ServiceUnavailable", message);
}

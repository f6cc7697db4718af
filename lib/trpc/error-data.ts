import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";

/** What domain code throws AppError with (server/errors/app-error.ts). */
export type AppErrorCode = "NOT_FOUND" | "BAD_REQUEST" | "FORBIDDEN" | "CONFLICT" | "UNPROCESSABLE" | "UNAVAILABLE" | "INTERNAL";

/** zod's flatten() of an input the server rejected. */
export interface InputFieldErrors {
  formErrors: string[];
  fieldErrors: Record<string, string[] | undefined>;
}

/**
 * `error.data` of every tRPC error the portal answers with: what the errorFormatter in
 * server/trpc/init.ts returns, and what proxy.ts and the request guard write by hand.
 */
export interface FormattedErrorData {
  code: TRPC_ERROR_CODE_KEY;
  httpStatus: number;
  /** The procedure that failed, when tRPC got as far as knowing it. */
  path?: string;
  /** Written for people: the UI shows it as is. */
  userMessage: string;
  appCode: AppErrorCode | null;
  zodError: InputFieldErrors | null;
  /** The request's id, also in the server log and the audit log: quote it when reporting a problem. */
  requestId?: string;
}

/** Plain words for errors that did not come with their own. */
export const DEFAULT_USER_MESSAGE = {
  UNAUTHORIZED: "Your session has ended. Sign in again.",
  FORBIDDEN: "Your role does not allow this action.",
  NOT_FOUND: "Not found.",
  BAD_REQUEST: "The request was not valid.",
  TOO_MANY_REQUESTS: "Too many requests. Wait a moment and try again.",
  SERVICE_UNAVAILABLE: "A service the portal depends on is unavailable. Try again shortly.",
  INTERNAL_SERVER_ERROR: "Something went wrong on the server.",
} satisfies Partial<Record<TRPC_ERROR_CODE_KEY, string>>;

/** For an error nothing better is known about. */
export const FALLBACK_USER_MESSAGE = "Something went wrong.";

/** React, Next and TanStack replace a server error's message in production; this says it plainly. */
export const REDACTED_SERVER_ERROR_MESSAGE = "The server could not complete this request. Try again; if it keeps failing, tell an administrator.";

const defaultByCode: Partial<Record<TRPC_ERROR_CODE_KEY, string>> = DEFAULT_USER_MESSAGE;

export function defaultUserMessage(code: TRPC_ERROR_CODE_KEY): string {
  return defaultByCode[code] ?? FALLBACK_USER_MESSAGE;
}

/** The formatted data of a tRPC error (a TRPCClientError's `data`); undefined for any other error. */
export function errorDataOf(error: unknown): FormattedErrorData | undefined {
  if (typeof error !== "object" || error === null || !("data" in error)) return undefined;
  return isFormattedErrorData(error.data) ? error.data : undefined;
}

function isFormattedErrorData(data: unknown): data is FormattedErrorData {
  return (
    typeof data === "object" &&
    data !== null &&
    "code" in data &&
    typeof data.code === "string" &&
    "userMessage" in data &&
    typeof data.userMessage === "string"
  );
}

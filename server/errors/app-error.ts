import "server-only";

import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { ZodError } from "zod";

import { DEFAULT_USER_MESSAGE, defaultUserMessage, type AppErrorCode, type FormattedErrorData } from "@/lib/trpc/error-data";

/**
 * Domain code throws this; the tRPC errorFormatter converts it once. `message` is for logs,
 * `userMessage` is what the UI may show as is.
 */
const APP_ERROR = Symbol.for("fleetdeck.AppError");

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly userMessage: string;

  /**
   * Next evaluates server modules once per bundle (instrumentation, each route), and the process's
   * runtime objects are shared between them: an AppError thrown by code of another bundle is an
   * AppError all the same, so `instanceof` reads a process-wide brand instead of the class.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[APP_ERROR] === true;
  }

  constructor(code: AppErrorCode, options: { message: string; userMessage?: string; cause?: unknown }) {
    super(options.message, { cause: options.cause });
    Object.defineProperty(this, APP_ERROR, { value: true });
    this.name = "AppError";
    this.code = code;
    this.userMessage = options.userMessage ?? options.message;
  }
}

const TRPC_CODE: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  NOT_FOUND: "NOT_FOUND",
  BAD_REQUEST: "BAD_REQUEST",
  FORBIDDEN: "FORBIDDEN",
  CONFLICT: "CONFLICT",
  UNPROCESSABLE: "UNPROCESSABLE_CONTENT",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({ code: TRPC_CODE[error.code], message: error.message, cause: error });
}

/** The part of the formatted error data that depends on what was thrown. */
type ErrorDescription = Pick<FormattedErrorData, "userMessage" | "appCode" | "zodError">;

/** Finds the AppError or ZodError behind a TRPCError (tRPC wraps thrown errors as `cause`). */
export function describeError(error: TRPCError): ErrorDescription {
  const cause = error.cause;
  if (cause instanceof AppError) {
    return { userMessage: cause.userMessage, appCode: cause.code, zodError: null };
  }
  if (cause instanceof ZodError) {
    const flat = cause.flatten();
    const first = cause.issues[0];
    const where = first?.path.length ? `${first.path.join(".")}: ` : "";
    return { userMessage: first ? `${where}${first.message}` : DEFAULT_USER_MESSAGE.BAD_REQUEST, appCode: "BAD_REQUEST", zodError: flat };
  }
  // Messages of our own TRPCErrors are written for users; anything else may leak internals.
  const ownMessage = cause === undefined && error.code !== "INTERNAL_SERVER_ERROR" ? error.message : undefined;
  return {
    userMessage: ownMessage ?? defaultUserMessage(error.code),
    appCode: null,
    zodError: null,
  };
}

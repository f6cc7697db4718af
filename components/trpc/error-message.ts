import { errorDataOf, FALLBACK_USER_MESSAGE, REDACTED_SERVER_ERROR_MESSAGE } from "@/lib/trpc/error-data";

/** The text to show a user for any error: the server's userMessage when there is one. */
export function userMessageOf(error: unknown): string {
  const data = errorDataOf(error);
  const userMessage = data?.userMessage;
  // A failure nobody planned for: the request's id finds its server log line.
  const unplanned = data?.code === "INTERNAL_SERVER_ERROR" || data?.code === "SERVICE_UNAVAILABLE";
  if (userMessage) return unplanned && data?.requestId ? `${userMessage} (request id ${data.requestId})` : userMessage;
  // React and Next replace server error messages in production (a digest, "Minified React
  // error #441", TanStack's "redacted"); say it plainly instead.
  if (error instanceof Error && isRedactedServerError(error)) return REDACTED_SERVER_ERROR_MESSAGE;
  if (error instanceof Error && error.message && !error.message.includes("\n    at ")) return error.message;
  return FALLBACK_USER_MESSAGE;
}

/** Field errors from zod's flatten(), when the server rejected an input. */
export function fieldErrorsOf(error: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [field, messages] of Object.entries(errorDataOf(error)?.zodError?.fieldErrors ?? {})) out[field] = messages?.[0];
  return out;
}

function isRedactedServerError(error: Error): boolean {
  return ("digest" in error && Boolean(error.digest)) || error.message === "redacted" || error.message.startsWith("Minified React error");
}

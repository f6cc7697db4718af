import { TRPCClientError } from "@trpc/client";

/** The text to show a user for any error: the server's userMessage when there is one. */
export function userMessageOf(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const data = error.data as { userMessage?: unknown; code?: string } | undefined;
    if (typeof data?.userMessage === "string" && data.userMessage) return data.userMessage;
    if (data?.code === "UNAUTHORIZED") return "Your session has ended. Sign in again.";
    if (data?.code === "FORBIDDEN") return "Your role does not allow this.";
  }
  const data = (error as { data?: { userMessage?: unknown } } | null)?.data;
  if (typeof data?.userMessage === "string" && data.userMessage) return data.userMessage;
  // React and Next replace server error messages in production (a digest, "Minified React
  // error #441", TanStack's "redacted"); say it plainly instead.
  if (error instanceof Error && isRedactedServerError(error)) {
    return "The server could not complete this request. Try again; if it keeps failing, tell an administrator.";
  }
  if (error instanceof Error && error.message && !error.message.includes("\n    at ")) return error.message;
  return "Something went wrong.";
}

/** Field errors from zod's flatten(), when the server rejected an input. */
export function fieldErrorsOf(error: unknown): Record<string, string | undefined> {
  if (!(error instanceof TRPCClientError)) return {};
  const zod = (error.data as { zodError?: { fieldErrors?: Record<string, string[] | undefined> } } | undefined)?.zodError;
  const out: Record<string, string | undefined> = {};
  for (const [field, messages] of Object.entries(zod?.fieldErrors ?? {})) out[field] = messages?.[0];
  return out;
}

function isRedactedServerError(error: Error): boolean {
  return Boolean((error as { digest?: string }).digest) || error.message === "redacted" || error.message.startsWith("Minified React error");
}

import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";

import { REDACTED_SERVER_ERROR_MESSAGE, type FormattedErrorData } from "@/lib/trpc/error-data";

import { fieldErrorsOf, userMessageOf } from "./error-message";

function clientError(data: FormattedErrorData) {
  return new TRPCClientError("raw server message", { result: { error: { message: "raw server message", code: -32600, data } } });
}

const invalidEmail = clientError({
  code: "BAD_REQUEST",
  httpStatus: 400,
  userMessage: "email: Enter a valid email address.",
  appCode: "BAD_REQUEST",
  zodError: { formErrors: [], fieldErrors: { email: ["Enter a valid email address.", "Too long."] } },
});

describe("userMessageOf", () => {
  it("shows the server's userMessage", () => {
    expect(userMessageOf(invalidEmail)).toBe("email: Enter a valid email address.");
  });

  it("explains a redacted server error instead of showing it", () => {
    expect(userMessageOf(Object.assign(new Error("An error occurred"), { digest: "123" }))).toBe(REDACTED_SERVER_ERROR_MESSAGE);
    expect(userMessageOf(new Error("redacted"))).toBe(REDACTED_SERVER_ERROR_MESSAGE);
  });

  it("shows a plain error's message but never a stack", () => {
    expect(userMessageOf(new Error("Failed to fetch"))).toBe("Failed to fetch");
    expect(userMessageOf(new Error("boom\n    at handler (server.js:1:1)"))).toBe("Something went wrong.");
    expect(userMessageOf(undefined)).toBe("Something went wrong.");
  });
});

describe("fieldErrorsOf", () => {
  it("gives the first message per field of a rejected input", () => {
    expect(fieldErrorsOf(invalidEmail)).toEqual({ email: "Enter a valid email address." });
    expect(fieldErrorsOf(new Error("plain"))).toEqual({});
  });
});

import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";

import { defaultUserMessage, errorDataOf, FALLBACK_USER_MESSAGE, type FormattedErrorData } from "./error-data";

const forbidden: FormattedErrorData = {
  code: "FORBIDDEN",
  httpStatus: 403,
  path: "users.list",
  userMessage: "The viewer role does not have the users:manage permission.",
  appCode: null,
  zodError: null,
};

describe("errorDataOf", () => {
  it("reads the formatted data of a tRPC client error", () => {
    const error = new TRPCClientError("forbidden", { result: { error: { message: "forbidden", code: -32003, data: forbidden } } });
    expect(errorDataOf(error)).toEqual(forbidden);
  });

  it("gives undefined for errors without formatted data", () => {
    expect(errorDataOf(new Error("plain"))).toBeUndefined();
    expect(errorDataOf(new TRPCClientError("network down"))).toBeUndefined();
    expect(errorDataOf({ data: { code: "FORBIDDEN" } })).toBeUndefined();
    expect(errorDataOf(null)).toBeUndefined();
    expect(errorDataOf("FORBIDDEN")).toBeUndefined();
  });
});

describe("defaultUserMessage", () => {
  it("has words for the common codes and a fallback for the rest", () => {
    expect(defaultUserMessage("UNAUTHORIZED")).toBe("Your session has ended. Sign in again.");
    expect(defaultUserMessage("PAYLOAD_TOO_LARGE")).toBe(FALLBACK_USER_MESSAGE);
  });
});

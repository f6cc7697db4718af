import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";

import { AppError, describeError, toTRPCError } from "@/server/errors/app-error";

describe("describeError", () => {
  it("shows an AppError's userMessage and code", () => {
    const error = toTRPCError(new AppError("CONFLICT", { message: "dup key users_email", userMessage: "That email is taken." }));
    expect(error.code).toBe("CONFLICT");
    expect(describeError(error)).toEqual({ userMessage: "That email is taken.", appCode: "CONFLICT", zodError: null });
  });

  it("recognises an AppError made by another copy of the module (another Next bundle)", async () => {
    const { vi } = await import("vitest");
    vi.resetModules();
    const other = await import("@/server/errors/app-error");
    expect(other.AppError).not.toBe(AppError);
    const foreign = new other.AppError("FORBIDDEN", { message: "x", userMessage: "No." });
    expect(foreign instanceof AppError).toBe(true);
    expect(new Error("plain") instanceof AppError).toBe(false);
  });

  it("maps UNAVAILABLE to 503", () => {
    expect(toTRPCError(new AppError("UNAVAILABLE", { message: "x" })).code).toBe("SERVICE_UNAVAILABLE");
  });

  it("flattens zod errors and words the first issue", () => {
    const parsed = z.object({ email: z.email("Enter a valid email address.") }).safeParse({ email: "nope" });
    const error = new TRPCError({ code: "BAD_REQUEST", cause: parsed.error });
    const described = describeError(error);
    expect(described.userMessage).toBe("email: Enter a valid email address.");
    expect(described.zodError?.fieldErrors).toEqual({ email: ["Enter a valid email address."] });
  });

  it("never passes on the message of an unexpected error", () => {
    const error = new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: new Error("ENOENT: open '/secret/path'") });
    expect(describeError(error).userMessage).toBe("Something went wrong on the server.");
  });

  it("keeps the wording of our own TRPCErrors", () => {
    const error = new TRPCError({ code: "FORBIDDEN", message: "The viewer role does not have the users:manage permission." });
    expect(describeError(error).userMessage).toBe("The viewer role does not have the users:manage permission.");
  });
});

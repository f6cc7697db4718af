import { describe, expect, it } from "vitest";

import { checklistFilterSchema, evidenceAddSchema, taskUpdateSchema } from "./checklist-schemas";

const taskId = "11111111-1111-4111-8111-111111111111";
const firstMessage = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues[0]?.message;

describe("the checklist's input schemas", () => {
  it("refuse control characters the database would reject, but let a note keep its line breaks", () => {
    expect(firstMessage(evidenceAddSchema.safeParse({ kind: "link", taskId, url: "https://a.example/\u0000" }))).toMatch(/control characters/);
    expect(firstMessage(evidenceAddSchema.safeParse({ kind: "note", taskId, note: "a\u0000b" }))).toMatch(/control characters/);
    expect(evidenceAddSchema.safeParse({ kind: "note", taskId, note: "line one\nline two\tend" }).success).toBe(true);
    expect(firstMessage(evidenceAddSchema.safeParse({ kind: "file", taskId, fileName: "a\u0000.txt", contentBase64: "YQ==" }))).toMatch(/control characters/);
    expect(firstMessage(taskUpdateSchema.safeParse({ taskId, status: "blocked", blockedReason: "wait\u0007" }))).toMatch(/control characters/);
  });

  it("take only http(s) links, real dates and known filter values", () => {
    expect(firstMessage(evidenceAddSchema.safeParse({ kind: "link", taskId, url: "ftp://a.example/x" }))).toMatch(/http:\/\/ or https:\/\//);
    expect(evidenceAddSchema.safeParse({ kind: "link", taskId, url: "https://a.example/x" }).success).toBe(true);
    expect(firstMessage(taskUpdateSchema.safeParse({ taskId, dueDate: "2027-13-01" }))).toMatch(/does not exist/);
    expect(taskUpdateSchema.safeParse({ taskId, dueDate: "2027-02-28" }).success).toBe(true);
    expect(firstMessage(evidenceAddSchema.safeParse({ kind: "file", taskId, fileName: "x", contentBase64: "not base64!" }))).toMatch(/could not be read/);
    expect(checklistFilterSchema.safeParse({ week: "11" }).success).toBe(false);
    expect(checklistFilterSchema.safeParse({ week: "3", owner: "none", workstream: "scaling" }).data).toEqual({
      week: 3,
      owner: "none",
      workstream: "scaling",
    });
  });
});

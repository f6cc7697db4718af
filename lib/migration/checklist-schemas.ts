import { z } from "zod";

import { hasControlCharacters, noControlCharactersMessage } from "@/lib/text/control-characters";

import {
  BLOCKED_REASON_MAX,
  EXPORT_FORMATS,
  MAX_EVIDENCE_FILE_BYTES,
  MAX_EVIDENCE_FILE_LABEL,
  PLAN_WEEKS,
  PRIORITIES,
  TASK_STATUSES,
  WORKSTREAMS,
} from "./checklist";

/**
 * The zod schemas of the migration checklist's contract (the router, the Migration page's URL, the
 * export). Apart from checklist.ts, which the browser imports, so zod stays on the server.
 */
export const weekSchema = z.coerce
  .number("A week is a number from 1 to 10.")
  .int("A week is a whole number from 1 to 10.")
  .min(1, "Weeks run from 1 to 10.")
  .max(PLAN_WEEKS, "Weeks run from 1 to 10.");
export const workstreamSchema = z.enum(WORKSTREAMS, `Choose a workstream: ${WORKSTREAMS.join(", ")}.`);
export const prioritySchema = z.enum(PRIORITIES, `Choose a priority: ${PRIORITIES.join(", ")}.`);
export const taskStatusSchema = z.enum(TASK_STATUSES, `Choose a status: ${TASK_STATUSES.join(", ")}.`);
export const taskIdSchema = z.uuid("That is not a task id.");
/** An owner filter: a user's id, or "none" for tasks nobody owns. */
export const ownerFilterSchema = z.union([z.literal("none"), z.uuid("That is not a user id.")], "Choose an owner.");

/** A calendar day, YYYY-MM-DD (due dates carry no time of day). */
export const dayStringSchema = z
  .string("Enter a date.")
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date as YYYY-MM-DD.")
  .refine(
    (text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text),
    "That date does not exist.",
  );

export const checklistFilterSchema = z.object({
  week: weekSchema.optional(),
  workstream: workstreamSchema.optional(),
  status: taskStatusSchema.optional(),
  owner: ownerFilterSchema.optional(),
  priority: prioritySchema.optional(),
});
export type ChecklistFilter = z.infer<typeof checklistFilterSchema>;

/** A one-line text a person typed: no control characters (PostgreSQL refuses NUL outright). */
const oneLine = (what: string) => z.string().refine((text) => !hasControlCharacters(text), noControlCharactersMessage(what));
// eslint-disable-next-line no-control-regex -- a note may hold line breaks and tabs, never NUL or other controls
const NOTE_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export const taskUpdateSchema = z
  .object({
    taskId: taskIdSchema,
    /** null clears the owner. */
    ownerId: z.uuid("Choose an owner from the list.").nullable().optional(),
    /** null clears the due date. */
    dueDate: dayStringSchema.nullable().optional(),
    status: taskStatusSchema.optional(),
    blockedReason: z
      .string("Enter why the task is blocked.")
      .trim()
      .max(BLOCKED_REASON_MAX, `A reason has at most ${BLOCKED_REASON_MAX} characters.`)
      .pipe(oneLine("Reasons"))
      .optional(),
  })
  .refine((update) => update.status !== "blocked" || (update.blockedReason ?? "").length > 0, {
    path: ["blockedReason"],
    message: "Say why the task is blocked.",
  });
export type TaskUpdate = z.infer<typeof taskUpdateSchema>;

const httpUrl = z
  .string("Enter a link.")
  .trim()
  .max(2_000, "A link has at most 2,000 characters.")
  .pipe(oneLine("Links"))
  .pipe(z.url({ protocol: /^https?$/, error: "Enter a link that starts with http:// or https://." }));

const evidenceTitle = z.string().trim().max(200, "A title has at most 200 characters.").pipe(oneLine("Titles"));

export const evidenceAddSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("link"), taskId: taskIdSchema, title: evidenceTitle.optional(), url: httpUrl }),
    z.object({
      kind: z.literal("note"),
      taskId: taskIdSchema,
      title: evidenceTitle.optional(),
      note: z
        .string("Write the note.")
        .trim()
        .min(1, "Write the note.")
        .max(10_000, "A note has at most 10,000 characters.")
        .refine((text) => !NOTE_CONTROLS.test(text), "Notes cannot contain control characters (such as NUL); remove them and try again."),
    }),
    z.object({
      kind: z.literal("file"),
      taskId: taskIdSchema,
      title: evidenceTitle.optional(),
      fileName: z.string("Choose a file.").trim().min(1, "Choose a file.").max(255, "A file name has at most 255 characters.").pipe(oneLine("File names")),
      contentType: z.string().trim().max(200).pipe(oneLine("Content types")).optional(),
      // 4/3 of the byte limit plus padding: a larger text cannot hold an allowed file, so it is
      // refused before decoding (the domain checks the decoded size again).
      contentBase64: z
        .string("Choose a file.")
        .max(
          Math.ceil(MAX_EVIDENCE_FILE_BYTES / 3) * 4 + 4,
          `The file is larger than ${MAX_EVIDENCE_FILE_LABEL}; evidence files are at most ${MAX_EVIDENCE_FILE_LABEL}.`,
        )
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, "The file could not be read; choose it again."),
    }),
  ],
  'Evidence is a "link", a "note" or a "file".',
);
export type EvidenceAdd = z.infer<typeof evidenceAddSchema>;

export const evidenceRemoveSchema = z.object({ evidenceId: z.uuid("That is not an evidence id.") });

export const exportFormatSchema = z.enum(EXPORT_FORMATS, 'Choose the export format: "csv" or "md".');

import { z } from "zod";

/** What a log view or a download asks for; shared by the tRPC router and the download route. */

/** The UI offers 100 / 1,000 / 5,000 / all (0); anything larger is held to the safety cap. */
export const MAX_TAIL_LINES = 50_000;

/** The lines a read asks for: 0 or unset means "all", and "all" of a chatty container stays bounded by `max`. */
export function capTailLines(tailLines: number | undefined, max: number): number {
  return tailLines === undefined || tailLines <= 0 ? max : Math.min(tailLines, max);
}

export const tenantId = z
  .string({ error: "Tenant id is required" })
  .trim()
  .regex(/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i, "Tenant id must be an instance UUID");

// Kubernetes object names: DNS-1123 labels / subdomains.
const objectName = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} name is empty`)
    .max(253, `${what} name is too long`)
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, `${what} name is not a Kubernetes name`);

export const logSourceInput = z.object({
  tenantId,
  pod: objectName("Pod").optional(),
  container: objectName("Container").optional(),
  previous: z.boolean().optional(),
  tailLines: z
    .number()
    .int("Tail must be a whole number of lines")
    .min(0, "Tail is 0 (all) or more lines")
    .transform((lines) => Math.min(lines, MAX_TAIL_LINES))
    .optional(),
  sinceSeconds: z.number().int("Since must be whole seconds").min(1, "Since is at least 1 second").max(10 * 365 * 24 * 3600).optional(),
  // Any date the browser can write ("2026-11-23T10:00", with or without a zone), kept as RFC 3339 UTC.
  sinceTime: z
    .string()
    .trim()
    .refine((value) => !Number.isNaN(Date.parse(value)), "Since time is not a date and time")
    .transform((value) => new Date(value).toISOString())
    .optional(),
});

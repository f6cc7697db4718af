import { z } from "zod";

import { hasControlCharacters } from "@/lib/text/control-characters";

/**
 * A manual check: a person attests that a checklist task holds, with evidence (a note, links),
 * optionally until a date. A revoked or expired attestation no longer counts.
 */
export const attestTaskInputSchema = z.object({
  taskId: z.uuid("Not a task id."),
  note: z
    .string()
    .trim()
    .min(1, "Say what you checked (the evidence).")
    .max(4000, "Keep the evidence under 4,000 characters; attach longer material to the task.")
    .refine((note) => !hasControlCharacters(note.replace(/[\r\n\t]/g, " ")), "The evidence contains control characters."),
  /** When the attestation lapses; without it, the task's attestationDays (if any) decide. */
  expiresAt: z.coerce.date({ error: "Not a date." }).optional(),
});
export type AttestTaskInput = z.infer<typeof attestTaskInputSchema>;

export const revokeAttestationInputSchema = z.object({
  attestationId: z.uuid("Not an attestation id."),
  reason: z.string().trim().max(2000).optional(),
});
export type RevokeAttestationInput = z.infer<typeof revokeAttestationInputSchema>;

export interface AttestationView {
  id: string;
  taskId: string;
  attestedByEmail: string;
  attestedAt: string;
  expiresAt: string | null;
  note: string;
  revokedAt: string | null;
  /** Neither revoked nor expired now. */
  active: boolean;
}

export function isAttestationActive(attestation: { revokedAt: Date | string | null; expiresAt: Date | string | null }, now: Date): boolean {
  if (attestation.revokedAt) return false;
  return attestation.expiresAt === null || new Date(attestation.expiresAt).getTime() > now.getTime();
}

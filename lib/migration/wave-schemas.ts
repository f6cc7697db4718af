import { z } from "zod";

import { tenantIdSchema } from "@/lib/tenants/tenant-id";
import { INSTANCE_TYPES } from "@/lib/tenants/types";

import { TENANT_SIZES, WAVE_ACTIONS, WAVE_ATTESTED_STEPS } from "./waves";

/** The zod schemas of the waves' inputs (waves.ts, without zod, is what the browser imports). */

const nonEmptyTrimmed = z.string().trim().min(1);

/** How a PM chooses a wave's tenants: filters (all must match), or a hand-picked list. */
export const waveSelectionSchema = z
  .object({
    instanceTypes: z.array(z.enum(INSTANCE_TYPES)).max(INSTANCE_TYPES.length).default([]),
    odooVersions: z.array(nonEmptyTrimmed.max(20)).max(20).default([]),
    /** Part of the customer id or email, case-insensitive. */
    customer: z.string().trim().max(200).default(""),
    sizes: z.array(z.enum(TENANT_SIZES)).max(TENANT_SIZES.length).default([]),
    /** Hand-picked tenants; when given, the filters narrow them further. */
    tenantIds: z.array(tenantIdSchema).max(10_000).default([]),
    /** At most this many of the matching tenants, in the order of the tenants list (by name). */
    limit: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();
export type WaveSelection = z.infer<typeof waveSelectionSchema>;

const isoInstant = z.iso.datetime({ offset: true, error: "Give the time as an ISO date and time, e.g. 2026-12-10T20:00:00Z." });

export const waveCreateSchema = z
  .object({
    name: z.string().trim().min(3, "Name the wave (at least 3 characters).").max(80, "Keep the name under 80 characters."),
    description: z.string().trim().max(2000).default(""),
    selection: waveSelectionSchema,
    windowStart: isoInstant.optional(),
    windowEnd: isoInstant.optional(),
    batchSize: z.number().int().min(1, "A batch holds at least 1 tenant.").max(50, "A batch holds at most 50 tenants.").default(10),
    concurrency: z.number().int().min(1, "Run at least 1 tenant at a time.").max(20, "Run at most 20 tenants at a time.").default(5),
    failureBudget: z.number().int().min(1, "The failure budget is at least 1 failed run.").max(1000).default(3),
    exitGateHours: z.number().int().min(0).max(336, "The exit gate is at most 14 days (336 hours).").default(24),
  })
  .strict()
  .refine((wave) => !wave.windowStart || !wave.windowEnd || Date.parse(wave.windowStart) < Date.parse(wave.windowEnd), {
    message: "The window must end after it starts.",
    path: ["windowEnd"],
  });
export type WaveCreateInput = z.input<typeof waveCreateSchema>;
export type WaveCreate = z.infer<typeof waveCreateSchema>;

export const waveIdSchema = z.uuid("That is not a wave id.");

export const waveActionSchema = z.object({ waveId: waveIdSchema, action: z.enum(WAVE_ACTIONS) }).strict();

export const waveRollbackSchema = z
  .object({
    waveId: waveIdSchema,
    tenantId: tenantIdSchema,
    reason: z.string().trim().min(5, "Say why the tenant is rolled back (at least 5 characters).").max(500),
  })
  .strict();

export const waveAttestSchema = z
  .object({
    waveId: waveIdSchema,
    to: z.enum(WAVE_ATTESTED_STEPS),
    evidence: z.string().trim().max(4000).optional(),
  })
  .strict();

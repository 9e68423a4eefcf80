import { z } from "zod";

/** ISO-8601 UTC with milliseconds, as the contract spells every timestamp. */
export const Timestamp = z.iso.datetime({ precision: 3 });

/** A path id that must be a positive integer (invitations, API keys). */
export const IntegerId = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, "must be a positive integer")
  .transform(Number)
  .refine((n) => n <= 2_147_483_647, "must be a positive integer");

export const EmptyObject = z.object({});

export function envelope<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), data, deprecated: z.boolean() });
}

export const ErrorEnvelope = z
  .object({
    success: z.literal(false),
    error: z.string(),
    code: z.string(),
    deprecated: z.boolean(),
  })
  .meta({ id: "Error" });

// Email normalization for invitations: trimmed, lower-cased, de-duplicated, validated.
import { z } from "zod";

const Email = z.email();

export interface NormalizedEmails {
  /** Valid, unique addresses in first-seen order. */
  valid: string[];
  /** The offending inputs, as given (trimmed). */
  invalid: string[];
}

export function normalizeEmails(inputs: string[]): NormalizedEmails {
  const valid = new Set<string>();
  const invalid = new Set<string>();
  for (const input of inputs) {
    const email = input.trim().toLowerCase();
    if (Email.safeParse(email).success) valid.add(email);
    else invalid.add(input.trim());
  }
  return { valid: [...valid], invalid: [...invalid] };
}

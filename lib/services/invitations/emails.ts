// Email normalization for invitations: the app's one address rule, de-duplicated.
import { isEmailAddress, normalizeEmail } from "@/lib/validation/email";

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
    const email = normalizeEmail(input);
    if (isEmailAddress(email)) valid.add(email);
    else invalid.add(input.trim());
  }
  return { valid: [...valid], invalid: [...invalid] };
}

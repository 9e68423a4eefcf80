// Email normalization for invitations: the app's one address rule, de-duplicated.
import "server-only";
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

/**
 * The address attempts in pasted text (one per line, comma- or space-separated, or a CSV). In
 * CSV-like lines (several fields) only the fields with an @ count, so names and headers are
 * passed over; a line holding a single token is always an attempt, so a typo such as
 * "ada.example.com" is reported as invalid rather than dropped. Surrounding quotes and <> are removed.
 */
export function extractAddresses(text: string): string[] {
  const clean = (token: string) => token.replace(/^["'<(\[]+|[>"')\]]+$/g, "").trim();
  return text.split(/\r?\n/).flatMap((line) => {
    const tokens = line.split(/[\s,;]+/).map(clean).filter(Boolean);
    return tokens.length === 1 ? tokens : tokens.filter((token) => token.includes("@"));
  });
}

/** First spelling of each address (compared as the invitation rules compare them) and the repeats. */
export function splitDuplicates(tokens: string[]) {
  const seen = new Set<string>();
  const unique: string[] = [];
  const duplicates: string[] = [];
  for (const token of tokens) {
    const key = normalizeEmail(token);
    if (seen.has(key)) duplicates.push(token);
    else {
      seen.add(key);
      unique.push(token);
    }
  }
  return { unique, duplicates };
}
